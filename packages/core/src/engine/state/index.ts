import type { BusEvent, StateChange } from '../../ports/index.js';
import type {
  StateDeleteResult,
  StateEntry,
  StateListResult,
  StateSchemaRecord,
} from '../../wire/state.js';
import type { CallContext, EngineContext } from '../context.js';
import { SchemaRegistry } from './schema-registry.js';
import {
  deleteState,
  deleteStateSchema,
  getState,
  getStateSchema,
  listState,
  listStateSchemas,
  setState,
  setStateSchema,
  type StateContext,
  type StateDeleteOptions,
  type StateKeyOptions,
  type StateListOptions,
  type StatePatternOptions,
  type StateSetOptions,
  type StateSetSchemaOptions,
} from './state-api.js';
import {
  StateHub,
  type StateListener,
  type StateSubscribeCall,
  type StateSubscription,
} from './state-hub.js';

export type {
  StateDeleteOptions,
  StateKeyOptions,
  StateListOptions,
  StatePatternOptions,
  StateSetOptions,
  StateSetSchemaOptions,
} from './state-api.js';
export type { StateListener, StateSubscribeCall, StateSubscription } from './state-hub.js';
export { grantsState, requireStateScope, type StateAction } from './scopes.js';

/** Tuning of shared state. */
export interface StateOptions {
  /** How often expired values are deleted (and their deletion announced), in ms; default 1000. */
  sweepIntervalMs?: number;
  /** How long changes stay in a key's history for resuming subscribers, in seconds; default 86400. */
  historyRetentionSeconds?: number;
  /** Most changes kept per key; default 1000. */
  historyLimit?: number;
  /**
   * How often subscribed keys are compared with the store to deliver changes whose event was
   * lost (an instance stopped between a commit and its publish), in ms; default 30000, 0 never.
   */
  reconcileIntervalMs?: number;
}

/** Shared state: live JSON values under keys, validated, versioned, pushed to subscribers. */
export interface StateApi {
  /** The key's value, or null when it has none. Needs `state:read` on the key. */
  get(options: StateKeyOptions): Promise<StateEntry | null>;
  /**
   * Write a value (version + 1). Validated against the most specific schema matching the key
   * (`VALIDATION_FAILED` with every error and its JSON pointer); `ifVersion` makes it a
   * compare-and-set (`CONFLICT` with `details.currentVersion`). Needs `state:write`.
   */
  set(options: StateSetOptions): Promise<StateEntry>;
  /** Delete a value (version + 1); `deleted: false` when it had none. Needs `state:write`. */
  delete(options: StateDeleteOptions): Promise<StateDeleteResult>;
  /** Values in key order, by glob and/or prefix, paged. Needs `state:read` on the glob. */
  list(options: StateListOptions): Promise<StateListResult>;
  /** Every schema of the tenant. */
  listSchemas(options: { tenantId: string } & CallContext): Promise<StateSchemaRecord[]>;
  /** The schema registered for exactly this key or glob, or null. */
  getSchema(options: StatePatternOptions): Promise<StateSchemaRecord | null>;
  /** Register (or replace) a JSON Schema for a key or glob; the schema is checked first. Needs `state:schema`. */
  setSchema(options: StateSetSchemaOptions): Promise<StateSchemaRecord>;
  /** Remove the schema of a key or glob. Needs `state:schema`. */
  deleteSchema(options: StatePatternOptions): Promise<{ pattern: string; deleted: boolean }>;
  /**
   * Receive changes of a key or glob, from this and every other instance, in version order per
   * key. With `sinceVersion` / `since`, first replays what happened after those versions.
   * Resolves once the subscription is registered. Needs `state:read` on the pattern.
   */
  subscribe(options: StateSubscribeCall, listener: StateListener): Promise<StateSubscription>;
}

/** The state service of one engine, with its bus handling and maintenance timers. */
export interface StateService {
  api: StateApi;
  /** Handle a bus event (all of them, this instance's own included). */
  onBusEvent(event: BusEvent): void;
  /** The bus may have lost events. */
  onGap(): void;
  start(): void;
  stop(): void;
}

export function createStateService(
  engine: EngineContext,
  options: StateOptions = {},
): StateService {
  const hub = new StateHub(engine);
  const schemas = new SchemaRegistry(() => engine.stores.state);
  const publish = (event: BusEvent) => {
    engine.stores.bus
      .publish({ ...event, origin: engine.instanceId })
      .catch((error: unknown) => engine.logger.error('state event publish failed', { error }));
  };
  const state: StateContext = {
    engine,
    schemas,
    historyLimit: options.historyLimit ?? 1000,
    announce(tenantId, change: StateChange) {
      hub.dispatch(tenantId, change);
      publish({ type: 'state.changed', tenantId, change });
    },
    announceSchema(tenantId, change) {
      const event = { type: 'state.schema' as const, tenantId, ...change };
      hub.dispatchSchema(event);
      publish(event);
    },
  };
  const sweepIntervalMs = options.sweepIntervalMs ?? 1000;
  const retentionMs = (options.historyRetentionSeconds ?? 86_400) * 1000;
  const reconcileIntervalMs = options.reconcileIntervalMs ?? 30_000;
  const timers: NodeJS.Timeout[] = [];
  /** Run `work` every `intervalMs` (never two at once), logging what fails. */
  const every = (intervalMs: number, what: string, work: () => Promise<unknown>) => {
    if (intervalMs <= 0) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch((error: unknown) => engine.logger.warn(`state ${what} failed`, { error }))
        .finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    timers.push(timer);
  };

  const sweep = async () => {
    const now = engine.now().toISOString();
    const expired = await engine.stores.state.listExpired({ now, limit: 500 });
    for (const { tenantId, key, version } of expired) {
      const result = await engine.stores.state.delete({
        tenantId,
        key,
        ifVersion: version,
        updatedBy: 'system',
        at: now,
        reason: 'expired',
        historyLimit: state.historyLimit,
      });
      // Another instance may have swept it first: then its deletion was announced there.
      if (result.ok && result.change) state.announce(tenantId, result.change);
    }
  };
  const trim = () =>
    engine.stores.state.trimHistory({
      before: new Date(engine.now().getTime() - retentionMs).toISOString(),
    });

  return {
    api: {
      get: (input) => getState(state, input),
      set: (input) => setState(state, input),
      delete: (input) => deleteState(state, input),
      list: (input) => listState(state, input),
      listSchemas: (input) => listStateSchemas(state, input),
      getSchema: (input) => getStateSchema(state, input),
      setSchema: (input) => setStateSchema(state, input),
      deleteSchema: (input) => deleteStateSchema(state, input),
      subscribe: (input, listener) => hub.subscribe(input, listener),
    },
    onBusEvent(event) {
      if (event.type === 'tenant.changed') {
        hub
          .recheckKeys(event.tenantId)
          .catch((error: unknown) =>
            engine.logger.error('state subscription key check failed', { error }),
          );
        return;
      }
      if (event.origin === engine.instanceId) return;
      if (event.type === 'state.changed') hub.dispatch(event.tenantId, event.change);
      else if (event.type === 'state.schema') {
        schemas.drop(event.tenantId);
        hub.dispatchSchema(event);
      }
    },
    onGap() {
      schemas.clear();
      hub
        .reconcile()
        .catch((error: unknown) => engine.logger.warn('state reconcile failed', { error }));
    },
    start() {
      if (timers.length > 0) return;
      every(reconcileIntervalMs, 'reconcile', () => hub.reconcile());
      every(sweepIntervalMs, 'expiry sweep', sweep);
      every(sweepIntervalMs > 0 ? Math.max(60_000, sweepIntervalMs) : 0, 'history trim', trim);
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      hub.endAll();
    },
  };
}

export type { StateHub };
