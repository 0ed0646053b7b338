/** How many parsed working sets are kept; the oldest is dropped beyond. */
const DEFAULT_ENTRIES = 2000;

/**
 * The last parsed value of each key, reused while the stored entry is unchanged, as told by its
 * tag (a stamp written with it, or the whole text). Parsing a warm user's working set again on
 * every read (and recounting its tokens, which the engine remembers per object) was most of a
 * cached read. Values are frozen: callers share them.
 */
export class ParsedCache<Value extends object> {
  private readonly entries = new Map<string, { tag: string; value: Value }>();

  constructor(private readonly maxEntries = DEFAULT_ENTRIES) {}

  /** The value remembered for `key` when it was parsed from the entry tagged `tag`. */
  known(key: string, tag: string): Value | undefined {
    const entry = this.entries.get(key);
    return entry && entry.tag === tag ? entry.value : undefined;
  }

  /**
   * The value at `key` of the entry tagged `tag`: the remembered one, else `parse()`d, frozen and
   * remembered. Nothing is remembered when `parse` gives null (a corrupt entry).
   */
  get(key: string, tag: string, parse: () => Value | null): Value | null {
    const known = this.known(key, tag);
    if (known) return known;
    const value = parse();
    this.entries.delete(key);
    if (value === null) return null;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { tag, value: deepFreeze(value) });
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
