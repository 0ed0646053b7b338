import { MemnexError } from '../errors.js';
import type { Logger } from '../logger.js';
import type {
  BusEvent,
  Embedder,
  EmbedderResolver,
  EmbeddingModel,
  EmbeddingModelState,
  SemanticIndex,
} from '../ports/index.js';

/** How often an instance re-reads the embedding models of the index by default, in ms. */
export const DEFAULT_MODEL_REFRESH_MS = 30_000;

/** What {@link EmbeddingModels} works with. */
export interface EmbeddingModelsOptions {
  semantic: SemanticIndex;
  /** Builds embedders from specs; null when this instance embeds nothing. */
  resolver: EmbedderResolver | null;
  logger: Logger;
  now: () => Date;
  /**
   * How often the models are re-read, and how long a write trusts what was read; 0 turns the
   * timer off (bus events and gaps still re-read) and makes every write read them again.
   */
  refreshMs: number;
}

/** A resolver that knows one embedder, whose model id is its spec. */
export function fixedResolver(embedder: Embedder): EmbedderResolver {
  return {
    configured: embedder.model,
    resolve(spec) {
      if (spec === embedder.model) return embedder;
      throw new MemnexError({
        code: 'VALIDATION_FAILED',
        message: `no embedder for model ${spec}: this engine was given only ${embedder.model}`,
        details: { spec },
      });
    },
  };
}

/** The models writes add vectors of: active, target, and the previous one until its time. */
export function writeModels(state: EmbeddingModelState, now: Date): EmbeddingModel[] {
  const models = [state.active];
  if (state.target) models.push(state.target);
  if (state.previous && Date.parse(state.previous.until) > now.getTime()) {
    models.push(state.previous);
  }
  return models;
}

/**
 * This instance's view of the embedding models the semantic index serves, and the embedders of
 * those models, built lazily from their specs and kept. Searches embed with the active model
 * only; the view changes when a bus event or the periodic re-read shows a newer revision, so
 * until an instance learns of a switch it keeps searching a model whose vectors are complete.
 */
export class EmbeddingModels {
  private current: EmbeddingModelState | null = null;
  /** `performance.now()` when the last read of the models that succeeded started. */
  private readAt = Number.NEGATIVE_INFINITY;
  /** The latest read of the models while it is under way, and when it started. */
  private reading: { startedAt: number; state: Promise<EmbeddingModelState | null> } | null = null;
  private readonly embedders = new Map<string, Promise<Embedder | null>>();
  private readonly reported = new Set<string>();
  private configured: Embedder | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly options: EmbeddingModelsOptions) {}

  /** False when nothing is embedded here: no embedder, or an index without vector search. */
  get enabled(): boolean {
    return this.options.resolver !== null && this.options.semantic.capabilities.vector;
  }

  /** What builds this instance's embedders; null when it embeds nothing. */
  get resolver(): EmbedderResolver | null {
    return this.options.resolver;
  }

  /** How often this instance re-reads the models, in ms; 0 when only events make it. */
  get refreshMs(): number {
    return this.options.refreshMs;
  }

  /** The model this instance is configured with, once started; null when it embeds nothing. */
  configuredModel(): EmbeddingModel | null {
    const { resolver } = this.options;
    return resolver && this.configured ? this.modelOf(resolver.configured, this.configured) : null;
  }

  /**
   * The embedder of `spec`, built (and initialised) once and kept; unlike {@link embedderOf} a
   * failure to build it is thrown.
   */
  async embedderForSpec(spec: string): Promise<Embedder> {
    const { resolver } = this.options;
    if (!resolver)
      throw new MemnexError({ code: 'VALIDATION_FAILED', message: 'no embedder is configured' });
    if (spec === resolver.configured && this.configured) return this.configured;
    const built = resolver.resolve(spec);
    const known = await this.embedders.get(built.model);
    if (known) return known;
    await built.init?.();
    this.embedders.set(built.model, Promise.resolve(built));
    return built;
  }

  /** The models as this instance last read them. */
  get state(): EmbeddingModelState | null {
    return this.current;
  }

  /**
   * Build the configured embedder, read the models (recording the configured one as active on
   * an index that has none yet), warn when the configuration names another model, and start
   * re-reading them periodically.
   */
  async start(): Promise<void> {
    const resolver = this.options.resolver;
    if (!resolver) return;
    const configured = resolver.resolve(resolver.configured);
    await configured.init?.();
    this.configured = configured;
    this.embedders.set(configured.model, Promise.resolve(configured));
    if (!this.options.semantic.capabilities.vector) return;
    const state = await this.recorded(this.modelOf(resolver.configured, configured));
    this.warnIfConfiguredDiffers(state, configured.model);
    const { refreshMs } = this.options;
    if (refreshMs > 0) {
      this.timer = setInterval(() => void this.refresh(), refreshMs);
      this.timer.unref?.();
    }
  }

  /** Stop re-reading and close every embedder built here. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // The configured embedder is among them: it is kept under its model id from the start.
    const built = await Promise.all(this.embedders.values());
    this.embedders.clear();
    this.configured = null;
    for (const embedder of built) {
      await embedder?.close?.().catch((error: unknown) => {
        this.options.logger.warn('closing an embedder failed', { error });
      });
    }
  }

  /** The record of `spec` as embedded by `embedder`. */
  modelOf(spec: string, embedder: Embedder): EmbeddingModel {
    return { spec, model: embedder.model, dimensions: embedder.dimensions };
  }

  /** Take `state` when it is newer than what this instance knows, and say what changed. */
  adopt(state: EmbeddingModelState | null): void {
    if (!state) return;
    const known = this.current;
    if (known && state.revision <= known.revision) return;
    this.current = state;
    if (known && known.active.model !== state.active.model) {
      this.options.logger.info('searches switched to another embedding model', {
        from: known.active.model,
        to: state.active.model,
        revision: state.revision,
      });
    }
  }

  /** Read the models from the index now; failures are logged and the known view is kept. */
  refresh(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    this.refreshing ??= this.reload()
      .then(() => undefined)
      .catch((error: unknown) => {
        this.options.logger.warn('reading the embedding models failed', { error });
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** Read the models afresh (a read that starts now), and take them when they are newer. */
  async reload(): Promise<EmbeddingModelState | null> {
    const startedAt = performance.now();
    const state = this.options.semantic.getModelState().then((read) => {
      this.readAt = Math.max(this.readAt, startedAt);
      this.adopt(read);
      return read;
    });
    this.reading = { startedAt, state };
    try {
      return await state;
    } finally {
      if (this.reading?.state === state) this.reading = null;
    }
  }

  /**
   * The models a write must add vectors of, asked once its index entries are written: the known
   * ones while their read started less than a refresh period ago, else read afresh. A re-embed
   * waits a refresh period after recording its target before the pass that may switch, so an
   * entry written with a view read more recently than that is either seen by that pass or
   * written by an instance that already knew the target; a view older than that is not trusted.
   * For the same reason a read under way that started less than a refresh period ago is joined,
   * so that the writes that find the view just out of date share one read.
   */
  async forWrite(): Promise<EmbeddingModelState | null> {
    const { refreshMs } = this.options;
    const now = performance.now();
    if (refreshMs > 0 && now - this.readAt < refreshMs) return this.current;
    if (this.reading && now - this.reading.startedAt < refreshMs) return this.reading.state;
    return this.reload();
  }

  /** React to a bus event: a newer revision of the models means re-reading them. */
  onBusEvent(event: BusEvent): void {
    if (event.type !== 'embedding.changed') return;
    if (this.current && event.revision <= this.current.revision) return;
    void this.refresh();
  }

  /**
   * The active model's embedder, which searches embed queries with and writes embed memories
   * with first; null when there is none to use.
   */
  async activeEmbedder(): Promise<Embedder | null> {
    if (!this.enabled) return null;
    const active = this.current?.active;
    return active ? this.embedderOf(active) : this.configured;
  }

  /**
   * The embedder of `model`, built from its spec with this instance's credentials; null (logged
   * once) when it cannot be built or does not produce vectors of that model id.
   */
  embedderOf(model: EmbeddingModel): Promise<Embedder | null> {
    const known = this.embedders.get(model.model);
    if (known) return known;
    const built: Promise<Embedder | null> = this.build(model).then((embedder) => {
      // Try again on a later call: a network or an endpoint may come back.
      if (!embedder && this.embedders.get(model.model) === built) {
        this.embedders.delete(model.model);
      }
      return embedder;
    });
    this.embedders.set(model.model, built);
    return built;
  }

  private async build(model: EmbeddingModel): Promise<Embedder | null> {
    try {
      const embedder = this.options.resolver!.resolve(model.spec);
      if (embedder.model !== model.model) {
        throw new MemnexError({
          code: 'VALIDATION_FAILED',
          message: `spec ${model.spec} builds model ${embedder.model} here, not ${model.model}`,
        });
      }
      await embedder.init?.();
      return embedder;
    } catch (error) {
      if (!this.reported.has(model.model)) {
        this.reported.add(model.model);
        this.options.logger.error('cannot build the embedder of a model the index uses', {
          model: model.model,
          spec: model.spec,
          error,
        });
      }
      return null;
    }
  }

  /**
   * The models as stored now; on an index that has none yet, `first` becomes active (or the
   * model another instance recorded meanwhile).
   */
  async recorded(first: EmbeddingModel): Promise<EmbeddingModelState> {
    const stored = await this.reload();
    if (stored) return stored;
    const { semantic, now } = this.options;
    try {
      const state = await semantic.setModelState({
        expectedRevision: null,
        active: first,
        target: null,
        previous: null,
        at: now().toISOString(),
      });
      this.adopt(state);
      return state;
    } catch (error) {
      if (!MemnexError.isInstance(error) || error.code !== 'CONFLICT') throw error;
      const state = await this.reload();
      if (!state) throw error;
      return state;
    }
  }

  private warnIfConfiguredDiffers(state: EmbeddingModelState, configured: string): void {
    const { active, target } = state;
    if (active.model === configured) return;
    if (target?.model === configured) {
      this.options.logger.info('a re-embed to the configured model is under way', {
        active: active.model,
        target: target.model,
      });
      return;
    }
    this.options.logger.warn(
      `the configured embedding model ${configured} is not the active model of the index ` +
        `(${active.model}); searches keep using ${active.model}. Run \`memnex db reembed\` to ` +
        `re-embed every memory with ${configured} and switch to it`,
      { active: active.model, configured },
    );
  }
}
