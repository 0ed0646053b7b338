import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemnexError } from '../errors.js';
import type {
  Embedder,
  EmbeddingModel,
  EmbeddingModelState,
  ScanCursor,
  ScannedEntry,
} from '../ports/index.js';
import type { EngineContext } from './context.js';
import { DEFAULT_MODEL_REFRESH_MS } from './embedding-models.js';

/** Options of `memnex.embeddings.reembed`. */
export interface ReembedOptions {
  /** Spec of the model to embed with and switch to (e.g. `openai:text-embedding-3-small`); the configured one by default. */
  model?: string;
  /** Memories read and embedded per batch; default 64. */
  batchSize?: number;
  /** When done, delete the vectors of every other model. */
  prune?: boolean;
  /**
   * After the switch, how long writes keep adding vectors of the previous model (and `prune`
   * waits before deleting them), in ms, so that an instance that has not yet learnt of the
   * switch still searches complete vectors. Default 60 000, twice the interval at which
   * instances re-read the models.
   */
  graceMs?: number;
  /**
   * How long an instance may go without reading the models, in ms: after recording the target,
   * the run switches only on a full pass that started this long after, when every instance
   * writes the target's vectors (one that had not read the target yet may have written behind
   * an earlier pass). Default: this engine's `embeddingRefreshMs`, as every instance is
   * configured alike. 0 when no other instance shares the index (an embedded database).
   */
  settleMs?: number;
  /** Told how far the run has got after every batch and at each phase. */
  onProgress?: (progress: ReembedProgress) => void;
  /** Stops the run between batches; a later run continues where it stopped. */
  signal?: AbortSignal;
}

/** How far a re-embed has got. */
export interface ReembedProgress {
  /**
   * `waiting`: for every instance to read the target before the last pass, or for the grace
   * period to end before pruning.
   */
  phase: 'embedding' | 'waiting' | 'pruning';
  /** Model being embedded. */
  model: string;
  /** Memories embedded by this run so far. */
  done: number;
  /**
   * Memories that lacked a vector of the model when the run started, plus any found since; null
   * when the index cannot count its entries.
   */
  total: number | null;
}

/** What a re-embed did. */
export interface ReembedResult {
  /**
   * `switched`: every memory has a vector of the model and searches use it now; `filled`: the
   * model was active already and the memories that lacked its vector have one now;
   * `up-to-date`: nothing to do.
   */
  outcome: 'switched' | 'filled' | 'up-to-date';
  /** The active model before the run. */
  from: EmbeddingModel;
  /** The active model after the run. */
  to: EmbeddingModel;
  /** A re-embed to this model had been started before and this run finished it. */
  resumed: boolean;
  /** An unfinished re-embed to another model that this run replaced, if any. */
  replaced: EmbeddingModel | null;
  /** Memories embedded by this run. */
  embedded: number;
  /** Vectors deleted by `prune`; null without it. */
  pruned: number | null;
  /** The embedding models afterwards. */
  state: EmbeddingModelState;
}

const DEFAULT_BATCH_SIZE = 64;
const DEFAULT_GRACE_MS = 2 * DEFAULT_MODEL_REFRESH_MS;
/** Full passes over the index before giving up on memories that never get a vector. */
const MAX_PASSES = 10;
/** Lease that keeps two re-embeds from running at once. */
const REEMBED_LEASE = 'memnex:reembed';
/**
 * The lease lapses this long after a run stops renewing it (a killed run), so a rerun can start
 * soon after; a live run renews it every third of that, whatever its batches take.
 */
const LEASE_TTL_MS = 30_000;

/**
 * Embed every memory of every tenant with a model and make it the model searches use, without
 * downtime: the model becomes the index's target (writes add its vectors from then on), the
 * memories that lack its vector are embedded in batches, and only when a full pass finds none
 * missing does it become active, in one conditional change that every instance then adopts.
 * Killed and run again, it continues: memories that have the vector are skipped.
 */
export async function reembed(
  context: EngineContext,
  options: ReembedOptions = {},
): Promise<ReembedResult> {
  const { semantic, leases } = context.stores;
  const resolver = context.models.resolver;
  if (!resolver || !semantic.capabilities.vector) {
    throw new MemnexError({
      code: 'VALIDATION_FAILED',
      message: 'nothing to re-embed: no embedder is configured or the index has no vector search',
    });
  }
  if (!semantic.capabilities.scan) {
    throw new MemnexError({
      code: 'VALIDATION_FAILED',
      message:
        'this semantic index cannot list its entries, which re-embedding needs (compose it with one that holds the memory text)',
    });
  }
  const spec = options.model ?? resolver.configured;
  const embedder = await context.models.embedderForSpec(spec);
  // An endpoint that learns its vector length from its first answer: ask it now.
  if (embedder.dimensions === 0) await embedder.embed(['dimensions']);
  const model: EmbeddingModel = context.models.modelOf(spec, embedder);

  // One holder per run, so that two runs of one engine exclude each other too.
  const holder = `${context.instanceId}:${randomUUID()}`;
  const lease = { name: REEMBED_LEASE, holder, ttlMs: LEASE_TTL_MS };
  if (!(await leases.acquire(lease))) {
    throw new MemnexError({
      code: 'CONFLICT',
      message: `another re-embed is running; wait for it to finish (a stopped one lets go within ${LEASE_TTL_MS / 1000} s)`,
    });
  }
  const run = new Run(context, options);
  const renewal = setInterval(() => {
    leases.acquire(lease).then(
      (held) => {
        if (!held) run.lost = true;
      },
      (error: unknown) => context.logger.warn('renewing the re-embed lease failed', { error }),
    );
  }, LEASE_TTL_MS / 3);
  renewal.unref?.();
  try {
    return await run.to(model, embedder);
  } finally {
    clearInterval(renewal);
    await leases.release({ name: REEMBED_LEASE, holder }).catch(() => undefined);
  }
}

/** One re-embed run: its counters and the state it last saw. */
class Run {
  /** Set when another holder took the lease: this run stops at the next batch. */
  lost = false;
  private state!: EmbeddingModelState;
  private embedded = 0;
  private total: number | null = null;

  constructor(
    private readonly context: EngineContext,
    private readonly options: ReembedOptions,
  ) {}

  async to(model: EmbeddingModel, embedder: Embedder): Promise<ReembedResult> {
    const { models } = this.context;
    this.state = await models.recorded(models.configuredModel() ?? model);
    const from = this.state.active;
    let replaced: EmbeddingModel | null = null;
    let resumed = false;
    let outcome: ReembedResult['outcome'];
    if (model.model === from.model) {
      if (this.state.target) {
        replaced = this.state.target;
        await this.change({ target: null });
      }
      // Nothing switches: every instance writes the active model's vectors already.
      await this.fill(model, embedder, 0);
      outcome = this.embedded > 0 ? 'filled' : 'up-to-date';
    } else {
      resumed = this.state.target?.model === model.model;
      if (!resumed) {
        replaced = this.state.target;
        await this.change({ target: model });
      }
      const settleMs = this.options.settleMs ?? this.context.models.refreshMs;
      await this.fill(model, embedder, performance.now() + settleMs);
      const until = new Date(
        this.context.now().getTime() + (this.options.graceMs ?? DEFAULT_GRACE_MS),
      );
      await this.change({
        active: model,
        target: null,
        previous: { ...from, until: until.toISOString() },
      });
      outcome = 'switched';
    }
    const pruned = this.options.prune ? await this.prune(model) : null;
    return {
      outcome,
      from,
      to: this.state.active,
      resumed,
      replaced,
      embedded: this.embedded,
      pruned,
      state: this.state,
    };
  }

  /**
   * Embed the memories that lack a vector of `model`, pass after pass, until a full pass that
   * started at `settledAt` (a `performance.now()` instant) or later finds none: writes made
   * meanwhile by an instance that did not yet know the target are caught by a later pass, and
   * from `settledAt` on every instance writes the target's vectors itself.
   */
  private async fill(model: EmbeddingModel, embedder: Embedder, settledAt: number): Promise<void> {
    const { semantic } = this.context.stores;
    const counted = await semantic.countVectors({ model: model.model });
    this.total = counted.entries === null ? null : counted.entries - counted.withVector;
    this.report('embedding', model);
    for (let pass = 1; ; pass += 1) {
      if (pass > MAX_PASSES) {
        throw new MemnexError({
          code: 'INTERNAL',
          message: `memories still lack a vector of ${model.model} after ${MAX_PASSES} passes; run the re-embed again`,
        });
      }
      const startedAt = performance.now();
      const found = await this.pass(model, embedder);
      if (found > 0) continue;
      if (startedAt >= settledAt) return;
      this.report('waiting', model);
      await this.wait(settledAt - performance.now());
    }
  }

  /** One scan over the index; returns how many memories it embedded. */
  private async pass(model: EmbeddingModel, embedder: Embedder): Promise<number> {
    const { semantic } = this.context.stores;
    const batchSize = Math.max(1, Math.floor(this.options.batchSize ?? DEFAULT_BATCH_SIZE));
    let after: ScanCursor | null = null;
    let found = 0;
    do {
      this.throwIfAborted();
      const page: { entries: ScannedEntry[]; next: ScanCursor | null } = await semantic.scanEntries(
        { after, limit: batchSize, missing: model.model },
      );
      if (page.entries.length > 0) {
        const vectors = await embedder.embed(
          page.entries.map((entry) => entry.text),
          { signal: this.options.signal },
        );
        for (const tenantId of new Set(page.entries.map((entry) => entry.tenantId))) {
          const entries = page.entries.flatMap((entry, position) =>
            entry.tenantId === tenantId
              ? [{ ...withoutTenant(entry), vector: vectors[position] ?? null, model: model.model }]
              : [],
          );
          await semantic.upsertVectors({ tenantId, entries });
        }
        found += page.entries.length;
        this.embedded += page.entries.length;
        if (this.total !== null && this.embedded > this.total) this.total = this.embedded;
        this.report('embedding', model);
      }
      after = page.next;
    } while (after);
    return found;
  }

  /** Drop every model but the active one (and a target), after the previous one's grace. */
  private async prune(model: EmbeddingModel): Promise<number> {
    const previous = this.state.previous;
    if (previous) {
      const wait = Date.parse(previous.until) - this.context.now().getTime();
      if (wait > 0) {
        this.report('waiting', model);
        await this.wait(wait);
      }
      await this.change({ previous: null });
    }
    this.report('pruning', model);
    const keep = [this.state.active.model];
    if (this.state.target) keep.push(this.state.target.model);
    return this.context.stores.semantic.pruneModels({ keep });
  }

  /** Change the stored models from the state this run saw, and tell every instance. */
  private async change(
    set: Partial<Pick<EmbeddingModelState, 'active' | 'target' | 'previous'>>,
  ): Promise<void> {
    const { semantic, bus } = this.context.stores;
    const { active, target, previous, revision } = this.state;
    try {
      this.state = await semantic.setModelState({
        expectedRevision: revision,
        active,
        target,
        previous,
        ...set,
        at: this.context.now().toISOString(),
      });
    } catch (error) {
      if (!MemnexError.isInstance(error) || error.code !== 'CONFLICT') throw error;
      throw new MemnexError({
        code: 'CONFLICT',
        message: 'the embedding models changed while re-embedding; run the re-embed again',
        details: error.details,
        cause: error,
      });
    }
    this.context.models.adopt(this.state);
    await bus
      .publish({
        origin: this.context.instanceId,
        type: 'embedding.changed',
        revision: this.state.revision,
      })
      .catch((error: unknown) => {
        // Instances still re-read the models periodically.
        this.context.logger.warn('embedding change event publish failed', { error });
      });
  }

  private report(phase: ReembedProgress['phase'], model: EmbeddingModel): void {
    this.options.onProgress?.({
      phase,
      model: model.model,
      done: this.embedded,
      total: this.total,
    });
  }

  /** Wait `ms`, or until the run is stopped. */
  private async wait(ms: number): Promise<void> {
    const { signal } = this.options;
    await sleep(Math.max(0, ms), undefined, { signal }).catch((error: unknown) => {
      if (!signal?.aborted) throw error;
    });
    this.throwIfAborted();
  }

  private throwIfAborted(): void {
    if (this.lost) {
      throw new MemnexError({
        code: 'CONFLICT',
        message:
          'another re-embed took over (this one stalled past its lease); it continues the work',
      });
    }
    if (!this.options.signal?.aborted) return;
    throw new MemnexError({
      code: 'INTERNAL',
      message: 'the re-embed was stopped; run it again to continue',
      cause: this.options.signal.reason,
    });
  }
}

function withoutTenant(entry: ScannedEntry): Omit<ScannedEntry, 'tenantId'> {
  const { tenantId: _tenantId, ...rest } = entry;
  return rest;
}
