import type { StateStore } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeLifecycle } from './assertions.js';
import { probeCapabilities, usePort, type ConformanceOptions } from './conformance-options.js';
import { describeAcrossInstances, describeConcurrency } from './state-store/concurrency.js';
import { describeHistory } from './state-store/history.js';
import { describeList, describeListExpired, describeListVersions } from './state-store/listing.js';
import { describeSchemas } from './state-store/schemas.js';
import { describeTenants } from './state-store/tenants.js';
import {
  describeCompareAndSet,
  describeDeletes,
  describeValues,
  describeVersions,
} from './state-store/values.js';

/** Options of {@link runStateStoreConformance}. */
export interface StateStoreConformanceOptions extends ConformanceOptions<StateStore> {
  /**
   * Create a second store over the same backend, as another process would. Cross-instance tests
   * run only when it is given and the store declares `shared`.
   */
  createPeer?: () => Promise<StateStore> | StateStore;
}

/**
 * Register the StateStore conformance suite for an adapter. Call it at the top of a test file.
 *
 * Every test works in fresh random tenants, so a store may be shared by all tests (and by other
 * suites). The two operations that reach across tenants, `listExpired` and `trimHistory`, are
 * tested on times in 1999, which no other test writes, and those tests drop their tenants.
 */
export function runStateStoreConformance(options: StateStoreConformanceOptions): void {
  describe(`StateStore conformance: ${options.name}`, async () => {
    const capabilities = await probeCapabilities(options);
    const store = usePort(options);

    it('declares its capabilities', () => {
      expect(typeof store().capabilities.durable).toBe('boolean');
      expect(typeof store().capabilities.shared).toBe('boolean');
    });

    describeValues(store);
    describeCompareAndSet(store);
    describeDeletes(store);
    describeVersions(store);
    describeList(store);
    describeListVersions(store);
    describeListExpired(store);
    describeHistory(store);
    describeSchemas(store);
    describeTenants(store);
    describeConcurrency(store);

    const crossInstance = capabilities.shared && options.createPeer !== undefined;
    describe.skipIf(!crossInstance)('across instances', () => {
      let peer: StateStore | undefined;
      beforeEach(async () => {
        peer = await options.createPeer?.();
        await peer?.init();
        return async () => {
          await peer?.close();
          peer = undefined;
        };
      });
      describeAcrossInstances(store, () => {
        if (!peer) throw new Error('the peer is only available inside a test');
        return peer;
      });
    });

    describeLifecycle(options, (port, tenantId) => port.versions({ tenantId, keys: ['probe'] }));
  });
}
