import type { Bus, BusEvent } from '@memnex/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeLifecycle, waitFor } from './assertions.js';
import { probeCapabilities, usePort, type ConformanceOptions } from './conformance-options.js';
import { randomHex, randomId, randomTenantId } from './fixtures.js';

/** Options of {@link runBusConformance}. */
export interface BusConformanceOptions extends ConformanceOptions<Bus> {
  /**
   * Create a second bus connected to the same backend, as another process would. Cross-instance
   * tests run only when it is given and the bus declares `crossInstance`.
   */
  createPeer?: () => Promise<Bus> | Bus;
}

/** A memory change event of the given tenant, with a random user. */
function changeEvent(tenantId: string, version = 1): BusEvent {
  return {
    type: 'memory.changed',
    tenantId,
    userId: randomId(),
    externalId: `u-${randomHex(4)}`,
    version,
  };
}

/** Register the Bus conformance suite for an adapter. Call it at the top of a test file. */
export function runBusConformance(options: BusConformanceOptions): void {
  describe(`Bus conformance: ${options.name}`, async () => {
    const capabilities = await probeCapabilities(options);
    const bus = usePort(options);
    let tenantId = '';
    /** Events of this test's tenant only, so a shared backend's traffic does not interfere. */
    const collect = (target: Bus = bus()) => {
      const received: BusEvent[] = [];
      const stop = target.subscribe((event) => {
        if (event.tenantId === tenantId) received.push(event);
      });
      return { received, stop };
    };

    beforeEach(() => {
      tenantId = randomTenantId();
    });

    it('declares its capabilities', () => {
      expect(typeof bus().capabilities.crossInstance).toBe('boolean');
    });

    describe('delivery', () => {
      it('delivers a published event, unchanged, to a subscriber of the same instance', async () => {
        const { received } = collect();
        const forgotten: BusEvent = {
          type: 'user.forgotten',
          tenantId,
          userId: randomId(),
          externalId: 'josé 🙂',
          identifierKeys: ['phone:+919241063955', 'email:a@b.co'],
        };
        await bus().publish(forgotten);
        await waitFor(() => received.length === 1, 'the event');
        expect(received).toEqual([forgotten]);
      });

      it('delivers to every subscriber', async () => {
        const first = collect();
        const second = collect();
        await bus().publish({ type: 'tenant.changed', tenantId });
        await waitFor(
          () => first.received.length + second.received.length === 2,
          'both subscribers',
        );
        expect(first.received).toEqual(second.received);
      });

      it('delivers events of one publisher in publish order', async () => {
        const { received } = collect();
        const events = Array.from({ length: 20 }, (_, index) => changeEvent(tenantId, index + 1));
        for (const event of events) await bus().publish(event);
        await waitFor(() => received.length === events.length, 'every event');
        expect(received).toEqual(events);
      });

      it('stops delivering after unsubscribe', async () => {
        const stopped = collect();
        const witness = collect();
        stopped.stop();
        await bus().publish(changeEvent(tenantId));
        await waitFor(() => witness.received.length === 1, 'the witness');
        expect(stopped.received).toEqual([]);
      });

      it('keeps delivering to others when a handler throws', async () => {
        const stopFaulty = bus().subscribe(() => {
          throw new Error('handler failure');
        });
        const { received } = collect();
        await bus().publish(changeEvent(tenantId));
        await waitFor(() => received.length === 1, 'the healthy subscriber');
        stopFaulty();
      });

      it('accepts gap listeners and removes them', () => {
        const remove = bus().onGap(() => undefined);
        expect(typeof remove).toBe('function');
        remove();
        remove();
      });
    });

    const crossInstance = capabilities.crossInstance && options.createPeer !== undefined;
    describe.skipIf(!crossInstance)('across instances', () => {
      let peer: Bus | undefined;
      beforeEach(async () => {
        peer = await options.createPeer?.();
        await peer?.init();
        return async () => {
          await peer?.close();
        };
      });

      it('delivers to the peer and to the publishing instance', async () => {
        const local = collect();
        const remote = collect(peer);
        const event = changeEvent(tenantId);
        await bus().publish(event);
        await waitFor(
          () => local.received.length === 1 && remote.received.length === 1,
          'both instances',
        );
        expect(remote.received).toEqual([event]);
      });

      it('delivers events of one publisher to the peer in publish order', async () => {
        const remote = collect(peer);
        const events = Array.from({ length: 10 }, (_, index) => changeEvent(tenantId, index + 1));
        for (const event of events) await bus().publish(event);
        await waitFor(() => remote.received.length === events.length, 'every event on the peer');
        expect(remote.received).toEqual(events);
      });
    });

    describeLifecycle(options, (port, tenant) =>
      port.publish({ type: 'tenant.changed', tenantId: tenant }),
    );
  });
}
