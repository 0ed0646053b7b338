import { FORMATTERS, packContext } from '../formats/index.js';
import type { MemoryRecord } from '../model.js';
import { toIso } from '../util/time.js';
import type { Channel, ContextFormat } from '../wire/common.js';
import { readInputSchema, type ReadInput, type ReadResult } from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { hybridSearch } from './hybrid.js';
import { isExpired, rankForRead } from './ranking.js';
import { resolveUserForRead } from './users.js';
import { parseInput, splitTenant } from './validate.js';
import { toView } from './views.js';
import { contextCounter, lineCost } from './token-costs.js';
import { loadWorkingSet } from './working-set.js';
import type { WorkingSet } from '../ports/index.js';

/** Options of `memnex.read`. */
export type ReadOptions = ReadInput & {
  tenantId: string;
  /** Channel of the caller; picks the format when `format` is not given. */
  channel?: Channel;
} & CallContext;

const FORMAT_OF_CHANNEL: Readonly<Record<Channel, ContextFormat>> = {
  voice: 'voice',
  whatsapp: 'whatsapp',
  sms: 'sms',
  email: 'web',
  web: 'web',
  app: 'app',
};

export async function read(context: EngineContext, options: ReadOptions): Promise<ReadResult> {
  const [tenantId, { actor: _actor, channel, ...wire }] = splitTenant(options);
  const input = parseInput(readInputSchema, wire);
  const format = input.format ?? (channel ? FORMAT_OF_CHANNEL[channel] : 'app');
  /** The answer of a read that finds nothing, made only then. */
  const empty = (version: number) =>
    frozenAnswer({
      context: '',
      format,
      items: [],
      tokens: 0,
      tokenBudget: input.tokenBudget,
      omitted: 0,
      version,
    });
  const tenant = await context.tenants.require(tenantId);
  context.usage.count(tenantId, 'reads');
  const user = await resolveUserForRead(context, tenant, input.user);
  if (!user) return empty(0);

  const now = context.now();
  let memories: MemoryRecord[];
  let version: number;
  let lastSeen: { channel: Channel | null; at: string } | null;
  let cached: WorkingSet | null = null;
  /** The shape this read's answer is remembered by for `cached`, when it can be. */
  let shape: string | undefined;
  if (input.asOf !== undefined) {
    const asOf = toIso(input.asOf);
    const key = { tenantId, userId: user.id };
    memories = await context.stores.warm.listMemories({ ...key, asOf, kinds: ['fact'] });
    const stored = await context.stores.warm.getUserById(key);
    version = stored?.version ?? 0;
    const latest = await context.stores.warm.listMemories({
      ...key,
      scope: 'all',
      until: asOf,
      order: 'desc',
      limit: 1,
    });
    lastSeen = latest[0] ? { channel: latest[0].source.channel, at: latest[0].observedAt } : null;
  } else {
    const workingSet = await loadWorkingSet(context, user);
    cached = workingSet;
    if (Object.isFrozen(workingSet) && input.query === undefined) {
      shape = `${format}\n${input.tokenBudget}\n${input.types?.join(',') ?? ''}`;
      const answer = recentAnswer(workingSet, shape, now);
      if (answer) return answer;
    }
    memories = workingSet.memories.filter((record) => !isExpired(record, now));
    version = workingSet.version;
    lastSeen = workingSet.lastSeen;
  }
  if (input.types) {
    const types = new Set(input.types);
    memories = memories.filter((record) => types.has(record.type));
  }
  if (memories.length === 0) return empty(version);

  let relevance: Map<string, number> | undefined;
  if (input.query) {
    const fused = await hybridSearch(context, {
      tenantId,
      userId: user.id,
      query: input.query,
      candidates: Math.min(200, memories.length),
      filter: { kinds: ['fact'], types: input.types },
    });
    const scores = fused.map((hit) => hit.score);
    const [low, high] = [Math.min(...scores), Math.max(...scores)];
    relevance = new Map(
      fused.map((hit) => [hit.memoryId, high > low ? (hit.score - low) / (high - low) : 1]),
    );
  }

  const ranked = rankForRead(memories, now, relevance);
  const formatter = FORMATTERS[format];
  const packed = packContext(
    formatter,
    ranked,
    input.tokenBudget,
    { lastChannel: lastSeen?.channel ?? null, lastSeenAt: lastSeen?.at ?? null, now },
    (record) => lineCost(formatter, record),
    contextCounter(cached),
  );
  const answer = frozenAnswer({
    context: packed.context,
    format,
    items: packed.items.map(toView),
    tokens: packed.tokens,
    tokenBudget: input.tokenBudget,
    omitted: ranked.length - packed.items.length,
    version,
  });
  if (cached && shape !== undefined) remember(cached, shape, now, answer);
  return answer;
}

/**
 * A read's answer, frozen with its items array: reads of the same second share one answer (see
 * below), and a server serialises a frozen answer once however often it hands it out.
 */
function frozenAnswer(answer: ReadResult): ReadResult {
  Object.freeze(answer.items);
  return Object.freeze(answer);
}

/** An answer of {@link read}, and until when it stands. */
interface RecentAnswer {
  answer: ReadResult;
  /** The second of the clock it was ranked in. */
  second: number;
  /** When the first memory of its working set expires (ms), or Infinity. */
  expiresAtMs: number;
}

/**
 * Answers of reads without a query, by working set and by what shapes them (format, budget,
 * types). A hot cache hands out one frozen working set while the user's memories stay unchanged
 * (only frozen ones are keys here), and agents read the same person over and over: ranking,
 * packing and rendering the same facts again within the same second gives the same answer, so
 * the answer is kept for that second. A write makes a new working set (a new key here); an expiry
 * in between ends the answer early.
 */
const recentAnswers = new WeakMap<WorkingSet, Map<string, RecentAnswer>>();

/** At most this many answer shapes are kept per working set, the newest. */
const SHAPES_PER_WORKING_SET = 8;

function recentAnswer(workingSet: WorkingSet, key: string, now: Date): ReadResult | undefined {
  const recent = recentAnswers.get(workingSet)?.get(key);
  const ms = now.getTime();
  if (!recent || recent.second !== Math.floor(ms / 1000) || ms >= recent.expiresAtMs) {
    return undefined;
  }
  return recent.answer;
}

function remember(workingSet: WorkingSet, key: string, now: Date, answer: ReadResult): void {
  const ms = now.getTime();
  let expiresAtMs = Infinity;
  for (const record of workingSet.memories) {
    if (record.expiresAt === null) continue;
    const at = Date.parse(record.expiresAt);
    if (at > ms && at < expiresAtMs) expiresAtMs = at;
  }
  let shapes = recentAnswers.get(workingSet);
  if (!shapes) recentAnswers.set(workingSet, (shapes = new Map()));
  shapes.delete(key);
  if (shapes.size >= SHAPES_PER_WORKING_SET) shapes.delete(shapes.keys().next().value!);
  shapes.set(key, { answer, second: Math.floor(ms / 1000), expiresAtMs });
}
