import type { Bus, BusEvent } from '@memnex/core';
import { expectMemnexError, randomHex, randomTenantId, waitFor } from '@memnex/storage-conformance';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisBus } from './redis-bus.js';
import {
  CLOSED_REDIS_URL,
  TEST_REDIS_URL,
  createRecordingLogger,
  createTestClient,
  describeWithRedis,
  pollUntil,
  uniquePrefix,
} from './redis-test-support.js';

/** Ids of the server-side connections named `name`. */
async function connectionIds(raw: Redis, name: string): Promise<string[]> {
  const list = await raw.client('LIST');
  return String(list)
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '')
    .filter((id) => id !== '');
}

describeWithRedis('createRedisBus', () => {
  const channel = `${uniquePrefix('bus')}events`;
  const raw = createTestClient();
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => raw.disconnect());

  async function openBus(
    options: { redis?: Redis | string; logger?: ReturnType<typeof createRecordingLogger> } = {},
  ): Promise<Bus> {
    const bus = createRedisBus({
      redis: options.redis ?? TEST_REDIS_URL,
      channel,
      logger: options.logger,
    });
    cleanups.push(() => bus.close());
    await bus.init();
    return bus;
  }

  const tenantEvents = (bus: Bus, tenantId: string) => {
    const received: BusEvent[] = [];
    bus.subscribe((event) => {
      if (event.tenantId === tenantId) received.push(event);
    });
    return received;
  };

  it('reports a gap once the subscriber is back, and delivers again after it', async () => {
    const connectionName = `memnex-test-${randomHex(6)}`;
    const client = createTestClient({ connectionName });
    cleanups.push(() => client.disconnect());
    const bus = await openBus({ redis: client });
    let gaps = 0;
    bus.onGap(() => {
      gaps += 1;
    });
    const [subscriberId] = await connectionIds(raw, `${connectionName}-subscriber`);
    expect(subscriberId).toBeDefined();

    await raw.client('KILL', 'ID', subscriberId!);
    await waitFor(() => gaps === 1, 'the gap after the reconnect', 5000);

    const tenantId = randomTenantId();
    const received = tenantEvents(bus, tenantId);
    await bus.publish({ type: 'tenant.changed', tenantId });
    await waitFor(() => received.length === 1, 'an event after the reconnect');
    expect(gaps).toBe(1);
  });

  it('reports no gap for its own init and close', async () => {
    const bus = createRedisBus({ redis: TEST_REDIS_URL, channel });
    let gaps = 0;
    bus.onGap(() => {
      gaps += 1;
    });
    await bus.init();
    const tenantId = randomTenantId();
    const received = tenantEvents(bus, tenantId);
    await bus.publish({ type: 'tenant.changed', tenantId });
    await waitFor(() => received.length === 1, 'the event');
    await bus.close();
    expect(gaps).toBe(0);
  });

  it('logs and drops malformed messages, and keeps delivering valid ones', async () => {
    const logger = createRecordingLogger();
    const bus = await openBus({ logger });
    const tenantId = randomTenantId();
    const received = tenantEvents(bus, tenantId);
    const malformed = [
      'not json',
      '[1,2]',
      JSON.stringify({ type: 'memory.deleted', tenantId }),
      JSON.stringify({ type: 'memory.changed', tenantId, userId: 'u1' }),
      JSON.stringify({
        type: 'user.forgotten',
        tenantId,
        userId: 'u',
        externalId: 'e',
        identifierKeys: [1],
      }),
    ];
    for (const message of malformed) await raw.publish(channel, message);
    const valid: BusEvent = { type: 'identity.changed', tenantId, identifierKeys: ['phone:+1'] };
    await raw.publish(channel, JSON.stringify(valid));
    await waitFor(() => received.length === 1, 'the valid event');
    expect(received).toEqual([valid]);
    const dropped = logger.lines.filter(
      (line) => line.message === 'dropping a malformed bus message',
    );
    expect(dropped.map((line) => line.fields?.problem)).toEqual([
      'not JSON',
      'not an object',
      'unknown event type',
      'invalid memory.changed event',
      'invalid user.forgotten event',
    ]);
  });

  it('refuses to publish an event subscribers would drop', async () => {
    const bus = await openBus();
    const invalid = { type: 'memory.changed', tenantId: 't_x' } as unknown as BusEvent;
    await expectMemnexError(bus.publish(invalid), 'VALIDATION_FAILED');
  });

  it('closes its subscriber connection but leaves a client it was given open', async () => {
    const connectionName = `memnex-test-${randomHex(6)}`;
    const client = createTestClient({ connectionName });
    cleanups.push(() => client.disconnect());
    const bus = createRedisBus({ redis: client, channel });
    await bus.init();
    expect(await connectionIds(raw, `${connectionName}-subscriber`)).toHaveLength(1);
    await bus.close();
    await bus.close();
    expect(await client.ping()).toBe('PONG');
    await pollUntil(
      async () => (await connectionIds(raw, `${connectionName}-subscriber`)).length === 0,
      'the subscriber connection to go away',
    );
    await expectMemnexError(
      bus.publish({ type: 'tenant.changed', tenantId: 't_x' }),
      'STORAGE_UNAVAILABLE',
    );
  });
});

describe('createRedisBus without Redis', () => {
  it('fails init, and publish, with STORAGE_UNAVAILABLE', async () => {
    const bus = createRedisBus({ redis: CLOSED_REDIS_URL });
    try {
      const initError = await expectMemnexError(bus.init(), 'STORAGE_UNAVAILABLE');
      expect(initError.message).toContain('127.0.0.1:1');
      const publishError = await expectMemnexError(
        bus.publish({ type: 'tenant.changed', tenantId: 't_x' }),
        'STORAGE_UNAVAILABLE',
      );
      expect(publishError.cause).toBeInstanceOf(Error);
    } finally {
      await bus.close();
    }
  });
});
