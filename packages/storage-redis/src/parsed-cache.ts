/** How many parsed working sets are kept; the oldest is dropped beyond. */
const DEFAULT_ENTRIES = 2000;

/**
 * The last parsed value of each key, reused while the stored text is unchanged. Redis returns the
 * same JSON for a warm user on every read; parsing it again (and recounting its tokens, which the
 * engine remembers per object) was most of a cached read. Values are frozen: callers share them.
 */
export class ParsedCache<Value extends object> {
  private readonly entries = new Map<string, { text: string; value: Value }>();

  constructor(private readonly maxEntries = DEFAULT_ENTRIES) {}

  /** The value parsed from `text` at `key`: the remembered one when the text is the same. */
  get(key: string, text: string, parse: (text: string) => Value | null): Value | null {
    const entry = this.entries.get(key);
    if (entry && entry.text === text) return entry.value;
    const value = parse(text);
    this.entries.delete(key);
    if (value === null) return null;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { text, value: deepFreeze(value) });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
