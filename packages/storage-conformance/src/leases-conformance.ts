import type { Leases } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from './assertions.js';
import { usePort, type ConformanceOptions } from './conformance-options.js';
import { randomHex } from './fixtures.js';

/** Options of {@link runLeasesConformance}. */
export interface LeasesConformanceOptions extends ConformanceOptions<Leases> {
  /**
   * Another handle on the same leases, as a second process would open it (own connections);
   * defaults to the port under test.
   */
  createPeer?: () => Promise<Leases> | Leases;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Register the Leases conformance suite for an adapter. Call it at the top of a test file. */
export function runLeasesConformance(options: LeasesConformanceOptions): void {
  describe(`Leases conformance: ${options.name}`, () => {
    const leases = usePort(options);
    const name = () => `lease-${randomHex(6)}`;
    const peerOf = async () => {
      if (!options.createPeer) return { peer: leases(), close: async () => {} };
      const peer = await options.createPeer();
      await peer.init();
      return { peer, close: () => peer.close() };
    };

    it('declares its capabilities', () => {
      expect(typeof leases().capabilities.shared).toBe('boolean');
    });

    it('gives a lease to one holder at a time, and renews it for that holder', async () => {
      const lease = name();
      const { peer, close } = await peerOf();
      try {
        expect(await leases().acquire({ name: lease, holder: 'a', ttlMs: 60_000 })).toBe(true);
        expect(await peer.acquire({ name: lease, holder: 'b', ttlMs: 60_000 })).toBe(false);
        expect(await leases().acquire({ name: lease, holder: 'a', ttlMs: 60_000 })).toBe(true);
        expect(await peer.acquire({ name: lease, holder: 'a', ttlMs: 60_000 })).toBe(true);
        expect(await peer.acquire({ name: `${lease}-other`, holder: 'b', ttlMs: 60_000 })).toBe(
          true,
        );
      } finally {
        await close();
      }
    });

    it('lets exactly one of many concurrent claimants win', async () => {
      const lease = name();
      const { peer, close } = await peerOf();
      try {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            (index % 2 ? peer : leases()).acquire({
              name: lease,
              holder: `h${index}`,
              ttlMs: 60_000,
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      } finally {
        await close();
      }
    });

    it('lets another holder take a lapsed lease', async () => {
      const lease = name();
      expect(await leases().acquire({ name: lease, holder: 'a', ttlMs: 150 })).toBe(true);
      expect(await leases().acquire({ name: lease, holder: 'b', ttlMs: 60_000 })).toBe(false);
      await sleep(250);
      expect(await leases().acquire({ name: lease, holder: 'b', ttlMs: 60_000 })).toBe(true);
      expect(await leases().acquire({ name: lease, holder: 'a', ttlMs: 60_000 })).toBe(false);
    });

    it('releases only for the holder', async () => {
      const lease = name();
      await leases().acquire({ name: lease, holder: 'a', ttlMs: 60_000 });
      await leases().release({ name: lease, holder: 'b' });
      expect(await leases().acquire({ name: lease, holder: 'b', ttlMs: 60_000 })).toBe(false);
      await leases().release({ name: lease, holder: 'a' });
      expect(await leases().acquire({ name: lease, holder: 'b', ttlMs: 60_000 })).toBe(true);
      await leases().release({ name: `${lease}-unknown`, holder: 'a' });
    });

    describeLifecycle(options, (port, tenantId) =>
      port.acquire({ name: `lifecycle-${tenantId}`, holder: 'a', ttlMs: 1000 }),
    );
  });
}
