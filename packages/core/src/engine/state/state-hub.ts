import { MemnexError } from '../../errors.js';
import type { BusEvent, StateChange } from '../../ports/index.js';
import { compileGlob, globMatches, type Glob } from '../../util/glob.js';
import {
  STATE_LIMITS,
  stateSubscribeOptionsSchema,
  type StateEvent,
  type StateEventKind,
  type StateReady,
} from '../../wire/state.js';
import type { CallContext, EngineContext } from '../context.js';
import { parseInput, splitTenant } from '../validate.js';
import { requireStateScope } from './scopes.js';
import { keyIdOfActor } from './state-api.js';

/** What a subscriber receives. */
export interface StateListener {
  /** A change, in version order per key. Called synchronously; must not throw. */
  event(event: StateEvent): void;
  /**
   * The subscription ended on its own: its key was revoked (`UNAUTHENTICATED`), or the engine
   * closed (null). Not called after {@link StateSubscription.close}.
   */
  end?(error: MemnexError | null): void;
}

/** A running subscription. */
export interface StateSubscription {
  /** The versions the subscription started from (replayed events follow them). */
  readonly ready: StateReady;
  /** Stop receiving events. Idempotent. */
  close(): void;
}

export type StateSubscribeCall = {
  tenantId: string;
  pattern: string;
  sinceVersion?: number;
  since?: Record<string, number>;
  events?: StateEventKind[];
} & CallContext;

/** Changes fetched at most per replay round. */
const HISTORY_PAGE = 500;

function toEvent(change: StateChange, resync = false): StateEvent {
  const extra = resync ? { resync: true } : {};
  if (change.kind === 'delete') {
    return {
      event: 'delete',
      key: change.key,
      version: change.version,
      updatedAt: change.updatedAt,
      updatedBy: change.updatedBy,
      reason: change.reason ?? 'deleted',
      ...extra,
    };
  }
  return {
    event: 'value',
    key: change.key,
    value: change.value,
    version: change.version,
    updatedAt: change.updatedAt,
    updatedBy: change.updatedBy,
    expiresAt: change.expiresAt,
    ...extra,
  };
}

/** One subscriber: per key, the last version delivered, and replays that fill gaps. */
class Subscription implements StateSubscription {
  ready: StateReady = { versions: {}, truncated: false };
  closed = false;
  private started = false;
  private readonly buffered: StateChange[] = [];
  /** Last version delivered (or started from) per key. */
  private readonly known = new Map<string, number>();
  /** Keys with a replay running, and the changes that arrived meanwhile. */
  private readonly filling = new Map<string, StateChange[]>();
  private readonly glob: Glob;
  private readonly kinds: ReadonlySet<StateEventKind>;

  constructor(
    private readonly hub: StateHub,
    readonly tenantId: string,
    readonly pattern: string,
    readonly keyId: string | undefined,
    kinds: readonly StateEventKind[],
    private readonly listener: StateListener,
  ) {
    this.glob = compileGlob(pattern);
    this.kinds = new Set(kinds);
  }

  matches(key: string): boolean {
    return this.glob.test(key);
  }

  wantsSchema(pattern: string): boolean {
    return (
      this.kinds.has('schema') &&
      (globMatches(this.pattern, pattern) || globMatches(pattern, this.pattern))
    );
  }

  /** Begin delivery: `start` is the version each key starts from; keys to replay are filled. */
  begin(start: Map<string, number>, replay: string[]): void {
    for (const [key, version] of start) this.known.set(key, version);
    this.started = true;
    for (const key of replay) this.fill(key);
    const waiting = this.buffered.splice(0);
    for (const change of waiting) this.offer(change);
  }

  offer(change: StateChange): void {
    if (this.closed) return;
    if (!this.started) {
      this.buffered.push(change);
      return;
    }
    const pending = this.filling.get(change.key);
    if (pending) {
      pending.push(change);
      return;
    }
    // A key unknown at the start did not exist then (unless the start was truncated): 0.
    const known = this.known.get(change.key) ?? (this.ready.truncated ? undefined : 0);
    if (known !== undefined && change.version <= known) return;
    if (known === undefined || change.version === known + 1) {
      this.deliver(change);
      return;
    }
    // Versions in between have not arrived (yet): replay them from the store's history.
    this.filling.set(change.key, [change]);
    this.fill(change.key);
  }

  schema(event: StateEvent): void {
    if (!this.closed && this.started) this.emit(event);
  }

  private deliver(change: StateChange, resync = false): void {
    this.known.set(change.key, change.version);
    if (this.kinds.has(change.kind)) this.emit(toEvent(change, resync));
  }

  private emit(event: StateEvent): void {
    try {
      this.listener.event(event);
    } catch (error) {
      this.hub.logger.error('state subscriber failed', { error });
    }
  }

  /**
   * Replay everything after the key's known version, then whatever arrived meanwhile. While the
   * store cannot fill a hole, it is asked again after 50 ms, doubling up to 5 s.
   */
  private fill(key: string, retryMs = 50): void {
    if (!this.filling.has(key)) this.filling.set(key, []);
    this.hub
      .catchUp(this.tenantId, key, this.known.get(key) ?? 0)
      .then(
        (changes) => {
          if (this.closed) return;
          for (const { change, resync } of changes) {
            if (change.version > (this.known.get(key) ?? 0)) this.deliver(change, resync);
          }
        },
        (error: unknown) =>
          this.hub.logger[retryMs > 50 ? 'debug' : 'error']('state replay failed', { error, key }),
      )
      .finally(() => {
        const pending = this.filling.get(key) ?? [];
        this.filling.delete(key);
        if (this.closed) return;
        pending.sort((a, b) => a.version - b.version);
        let gap = false;
        for (const change of pending) {
          const known = this.known.get(key) ?? 0;
          if (change.version <= known) continue;
          if (change.version === known + 1) this.deliver(change);
          else gap = true;
        }
        // Still a hole (the store lagged or failed): try again from what we have.
        if (gap) {
          const rest = pending.filter((change) => change.version > (this.known.get(key) ?? 0));
          this.filling.set(key, rest);
          setTimeout(() => this.fill(key, Math.min(retryMs * 2, 5000)), retryMs).unref?.();
        }
      });
  }

  /** Keys this subscription has a version of. */
  knownKeys(): IterableIterator<string> {
    return this.known.keys();
  }

  /** Replay keys the store holds newer versions of than were delivered. */
  catchUpTo(versions: Record<string, number>): void {
    if (this.closed || !this.started) return;
    for (const [key, known] of this.known) {
      if ((versions[key] ?? 0) > known && !this.filling.has(key)) this.fill(key);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.remove(this);
  }

  end(error: MemnexError | null): void {
    if (this.closed) return;
    this.close();
    try {
      this.listener.end?.(error);
    } catch (thrown) {
      this.hub.logger.error('state subscriber end handler failed', { error: thrown });
    }
  }
}

/**
 * This instance's state subscriptions. Changes made here are delivered at once; changes from other
 * instances arrive on the bus. Each subscription delivers every key's changes in version order,
 * none twice, and replays from the store's history whatever the bus lost or reordered.
 */
export class StateHub {
  private readonly byTenant = new Map<string, Set<Subscription>>();
  private readonly inflight = new Map<
    string,
    Promise<Array<{ change: StateChange; resync: boolean }>>
  >();

  constructor(private readonly engine: EngineContext) {}

  get logger() {
    return this.engine.logger;
  }

  /** Number of open subscriptions (metrics). */
  get size(): number {
    let count = 0;
    for (const set of this.byTenant.values()) count += set.size;
    return count;
  }

  dispatch(tenantId: string, change: StateChange): void {
    const subscriptions = this.byTenant.get(tenantId);
    if (!subscriptions) return;
    for (const subscription of subscriptions) {
      if (subscription.matches(change.key)) subscription.offer(change);
    }
  }

  dispatchSchema(event: Extract<BusEvent, { type: 'state.schema' }>): void {
    const subscriptions = this.byTenant.get(event.tenantId);
    if (!subscriptions) return;
    const schemaEvent: StateEvent = {
      event: 'schema',
      key: event.pattern,
      action: event.action,
      ...(event.action === 'set' ? { schema: event.schema } : {}),
      version: event.revision,
      updatedAt: event.updatedAt,
      updatedBy: event.updatedBy,
    };
    for (const subscription of subscriptions) {
      if (subscription.wantsSchema(event.pattern)) subscription.schema(schemaEvent);
    }
  }

  /**
   * Compare every subscribed key's delivered version with the store, one query per tenant, and
   * replay what is missing: a change whose event the bus lost, or that was never published (its
   * instance stopped between the commit and the publish), is delivered here at the latest.
   */
  async reconcile(): Promise<void> {
    for (const [tenantId, subscriptions] of [...this.byTenant]) {
      const keys = new Set<string>();
      for (const subscription of subscriptions) {
        for (const key of subscription.knownKeys()) {
          if (keys.size >= STATE_LIMITS.readyVersionsMax) break;
          keys.add(key);
        }
      }
      if (keys.size === 0) continue;
      const versions = await this.engine.stores.state.versions({ tenantId, keys: [...keys] });
      for (const subscription of subscriptions) subscription.catchUpTo(versions);
    }
  }

  /** A tenant's keys or settings changed: end subscriptions whose key is no longer valid. */
  async recheckKeys(tenantId: string): Promise<void> {
    const subscriptions = [...(this.byTenant.get(tenantId) ?? [])].filter(
      (subscription) => subscription.keyId !== undefined,
    );
    if (subscriptions.length === 0) return;
    const tenantOk = await this.engine.tenants.require(tenantId).then(
      () => true,
      () => false,
    );
    for (const subscription of subscriptions) {
      const record = tenantOk
        ? await this.engine.keys.find(subscription.keyId!).catch(() => undefined)
        : null;
      // A failed lookup proves nothing: the key stays until a check succeeds.
      if (record === undefined || (record && !record.revokedAt)) continue;
      subscription.end(
        new MemnexError({
          code: 'UNAUTHENTICATED',
          message: tenantOk ? 'API key was revoked' : "the key's tenant is disabled or gone",
        }),
      );
    }
  }

  /** End every subscription (the engine is closing). */
  endAll(): void {
    for (const set of [...this.byTenant.values()])
      for (const subscription of [...set]) subscription.end(null);
  }

  remove(subscription: Subscription): void {
    const set = this.byTenant.get(subscription.tenantId);
    set?.delete(subscription);
    if (set?.size === 0) this.byTenant.delete(subscription.tenantId);
  }

  /**
   * Changes of `key` after `afterVersion`, oldest first. When the history no longer reaches back
   * that far, the key's current value (or deletion) stands in, marked `resync`. Concurrent calls
   * for the same range share one store round trip.
   */
  catchUp(
    tenantId: string,
    key: string,
    afterVersion: number,
  ): Promise<Array<{ change: StateChange; resync: boolean }>> {
    const id = `${tenantId}\u0000${key}\u0000${afterVersion}`;
    let work = this.inflight.get(id);
    if (!work) {
      work = this.readHistory(tenantId, key, afterVersion).finally(() => this.inflight.delete(id));
      this.inflight.set(id, work);
    }
    return work;
  }

  private async readHistory(
    tenantId: string,
    key: string,
    afterVersion: number,
  ): Promise<Array<{ change: StateChange; resync: boolean }>> {
    const store = this.engine.stores.state;
    const out: Array<{ change: StateChange; resync: boolean }> = [];
    let after = afterVersion;
    for (;;) {
      const page = await store.history({ tenantId, key, afterVersion: after, limit: HISTORY_PAGE });
      if (page.length === 0) break;
      if (page[0]!.version !== after + 1) {
        // Trimmed: what happened in between is gone; the current state is what matters.
        return [...out, ...(await this.currentAsChange(tenantId, key, after))];
      }
      for (const change of page) out.push({ change, resync: false });
      after = page.at(-1)!.version;
      if (page.length < HISTORY_PAGE) break;
    }
    if (out.length === 0) {
      const versions = await store.versions({ tenantId, keys: [key] });
      if ((versions[key] ?? 0) > afterVersion)
        return this.currentAsChange(tenantId, key, afterVersion);
    }
    return out;
  }

  private async currentAsChange(
    tenantId: string,
    key: string,
    afterVersion: number,
  ): Promise<Array<{ change: StateChange; resync: boolean }>> {
    const store = this.engine.stores.state;
    const now = this.engine.now().toISOString();
    const [record, versions] = await Promise.all([
      store.get({ tenantId, key, now }),
      store.versions({ tenantId, keys: [key] }),
    ]);
    const version = versions[key] ?? 0;
    if (version <= afterVersion) return [];
    // A write between the two reads makes the record newer than `version`: it is the current state.
    if (record && record.version >= version) {
      return [{ change: { ...record, kind: 'value' }, resync: true }];
    }
    return [
      {
        change: {
          key,
          kind: 'delete',
          value: null,
          version,
          updatedAt: now,
          updatedBy: 'system',
          expiresAt: null,
          reason: 'deleted',
        },
        resync: true,
      },
    ];
  }

  /** Start a subscription: check scope, register, compute where it starts, replay what it missed. */
  async subscribe(call: StateSubscribeCall, listener: StateListener): Promise<StateSubscription> {
    const [tenantId, rest] = splitTenant(call);
    const options = parseInput(stateSubscribeOptionsSchema, {
      pattern: rest.pattern,
      sinceVersion: rest.sinceVersion,
      since: rest.since,
      events: rest.events,
    });
    requireStateScope(rest, 'read', options.pattern);
    await this.engine.tenants.require(tenantId);
    const subscription = new Subscription(
      this,
      tenantId,
      options.pattern,
      rest.callerScopes ? keyIdOfActor(rest.actor) : undefined,
      options.events ?? ['value', 'delete', 'schema'],
      listener,
    );
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(subscription);
    try {
      const { versions, truncated } = await this.startingVersions(
        tenantId,
        options.pattern,
        options.since,
      );
      const start = new Map<string, number>();
      const replay: string[] = [];
      for (const [key, current] of Object.entries(versions)) {
        const from = options.since?.[key] ?? options.sinceVersion;
        if (from !== undefined && current > from) {
          start.set(key, from);
          replay.push(key);
        } else start.set(key, current);
      }
      subscription.ready = { versions: Object.fromEntries(start), truncated };
      subscription.begin(start, replay);
      return subscription;
    } catch (error) {
      subscription.close();
      throw error;
    }
  }

  /** Current versions of the keys a subscription covers, deleted keys named in `since` included. */
  private async startingVersions(
    tenantId: string,
    pattern: string,
    since: Record<string, number> | undefined,
  ): Promise<StateReady> {
    const store = this.engine.stores.state;
    const glob = compileGlob(pattern);
    if (glob.exact)
      return { versions: await store.versions({ tenantId, keys: [pattern] }), truncated: false };
    const versions: Record<string, number> = {};
    let truncated = false;
    let after: string | undefined;
    let count = 0;
    // Deleted keys count too: a key deleted before the subscription and written again after it
    // must replay from its deletion's version, not from its first.
    for (;;) {
      const page = await store.listVersions({ tenantId, prefix: glob.prefix, after, limit: 1000 });
      for (const { key, version } of page) {
        if (!glob.test(key)) continue;
        if (count >= STATE_LIMITS.readyVersionsMax) {
          truncated = true;
          break;
        }
        versions[key] = version;
        count += 1;
      }
      if (truncated || page.length < 1000) break;
      after = page.at(-1)!.key;
    }
    const named = Object.keys(since ?? {}).filter((key) => glob.test(key) && !(key in versions));
    if (named.length > 0) Object.assign(versions, await store.versions({ tenantId, keys: named }));
    return { versions, truncated };
  }
}
