import type { Stores } from '../ports/index.js';
import type { EngineContext } from './context.js';

/** Whether each probed store answered. */
export interface HealthReport {
  /** True when every probed store answered. */
  ok: boolean;
  stores: Record<'warm' | 'hot' | 'semantic' | 'audit' | 'state', { ok: boolean; error?: string }>;
}

/** A tenant and user no one can have: probes read nothing real. */
const PROBE = { tenantId: '__memnex_probe__', userId: '00000000-0000-0000-0000-000000000000' };
const PROBE_TIMEOUT_MS = 2000;

function withTimeout(work: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 2 s')), PROBE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const PROBES: Record<keyof HealthReport['stores'], (stores: Stores) => Promise<unknown>> = {
  warm: (stores) => stores.warm.getTenant({ tenantId: PROBE.tenantId }),
  hot: (stores) => stores.hot.getGeneration(PROBE),
  semantic: (stores) => stores.semantic.searchLexical({ ...PROBE, query: 'probe', limit: 1 }),
  audit: (stores) => stores.audit.head({ tenantId: PROBE.tenantId }),
  state: (stores) =>
    stores.state.get({ tenantId: PROBE.tenantId, key: 'probe', now: new Date().toISOString() }),
};

/**
 * Ask every store a cheap read, in parallel, each within 2 s. Used for readiness: a store that
 * is down makes the report not ok until it answers again.
 */
export async function checkHealth(context: EngineContext): Promise<HealthReport> {
  const names = Object.keys(PROBES) as Array<keyof HealthReport['stores']>;
  const results = await Promise.all(
    names.map((name) =>
      withTimeout(PROBES[name](context.stores)).then(
        () => ({ ok: true }),
        (error: unknown) => ({
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    ),
  );
  const stores = Object.fromEntries(
    names.map((name, index) => [name, results[index]!]),
  ) as HealthReport['stores'];
  return { ok: results.every((result) => result.ok), stores };
}
