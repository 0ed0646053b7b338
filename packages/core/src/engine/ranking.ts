import type { MemoryRecord } from '../model.js';
import type { MemoryType } from '../wire/common.js';

/** Half-life of relevance per type, in days: a name stays true for long, an intent fades fast. */
const HALF_LIFE_DAYS: Readonly<Record<MemoryType, number>> = {
  profile: 365,
  preference: 180,
  issue: 30,
  intent: 14,
  resolution: 14,
  event: 7,
};

/** How much each type matters at the start of a turn. */
const TYPE_PRIORITY: Readonly<Record<MemoryType, number>> = {
  issue: 1,
  intent: 0.9,
  profile: 0.85,
  preference: 0.8,
  resolution: 0.7,
  event: 0.5,
};

const DAY_MS = 86_400_000;

/**
 * When a memory was last observed, in ms. Records are immutable and a hot cache hands out the same
 * objects read after read, so the two ISO times are parsed once per record, not once per read.
 */
const lastSeenMsByRecord = new WeakMap<MemoryRecord, number>();
function lastSeenMs(record: MemoryRecord): number {
  let last = lastSeenMsByRecord.get(record);
  if (last === undefined) {
    last = Math.max(Date.parse(record.observedAt), Date.parse(record.lastSeenAt));
    lastSeenMsByRecord.set(record, last);
  }
  return last;
}

/** Recency decay in (0, 1]: 1 when just seen, 0.5 after the type's half-life. */
export function recencyDecay(record: MemoryRecord, now: Date): number {
  const last = lastSeenMs(record);
  const ageDays = Math.max(0, (now.getTime() - last) / DAY_MS);
  return 2 ** (-ageDays / HALF_LIFE_DAYS[record.type]);
}

/** Query-independent worth of a memory now: salience x recency decay x type priority. */
export function baseScore(record: MemoryRecord, now: Date): number {
  return record.salience * recencyDecay(record, now) * TYPE_PRIORITY[record.type];
}

/**
 * Rank memories for a read. With `relevance` (memory id -> [0, 1] from hybrid search against the
 * caller's query), the base score is blended so that relevant memories rise without hiding the
 * open issue that matters whatever was said.
 */
export function rankForRead(
  records: MemoryRecord[],
  now: Date,
  relevance?: ReadonlyMap<string, number>,
): MemoryRecord[] {
  const scored = records.map((record) => {
    const base = baseScore(record, now);
    const score = relevance ? base * (0.3 + 0.7 * (relevance.get(record.id) ?? 0)) : base;
    return { record, score };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.record.observedAt.localeCompare(a.record.observedAt) ||
      a.record.id.localeCompare(b.record.id),
  );
  return scored.map((entry) => entry.record);
}

/** True when a memory's `expiresAt` has passed. */
export function isExpired(record: Pick<MemoryRecord, 'expiresAt'>, now: Date): boolean {
  return record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime();
}

/**
 * Whether a memory (a record, or a memory of an export or timeline) is current at `now`, i.e.
 * one that reads and searches serve: active, not superseded, and its time to live not passed. An
 * expired memory stays `active` until the retention sweep marks it, but is out of reads at once.
 * Measure with the engine's clock, `memnex.now()`.
 */
export function isCurrentMemory(
  memory: Pick<MemoryRecord, 'status' | 'validTo' | 'expiresAt'>,
  now: Date,
): boolean {
  return memory.status === 'active' && memory.validTo === null && !isExpired(memory, now);
}
