import type { Leases } from '@memnex/core';
import { createLifecycleState } from './lifecycle-state.js';

/** Options of {@link createMemoryLeases}. */
export interface MemoryLeasesOptions {
  /** Clock in milliseconds since the epoch; defaults to `Date.now`. Inject one in tests. */
  now?: () => number;
}

/**
 * {@link Leases} in process memory: they exclude holders that share this object (engines built
 * on the same memory stores), not other processes.
 */
export function createMemoryLeases(options: MemoryLeasesOptions = {}): Leases {
  const lifecycle = createLifecycleState('memory leases');
  const now = options.now ?? Date.now;
  const held = new Map<string, { holder: string; expiresAt: number }>();

  return {
    capabilities: { shared: false },
    init: lifecycle.init,
    close: lifecycle.close,

    async acquire({ name, holder, ttlMs }) {
      lifecycle.assertOpen('acquire');
      const at = now();
      const current = held.get(name);
      if (current && current.holder !== holder && current.expiresAt > at) return false;
      held.set(name, { holder, expiresAt: at + Math.max(0, ttlMs) });
      return true;
    },

    async release({ name, holder }) {
      lifecycle.assertOpen('release');
      if (held.get(name)?.holder === holder) held.delete(name);
    },
  };
}
