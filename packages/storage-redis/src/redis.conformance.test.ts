import { runBusConformance, runHotStoreConformance } from '@memnex/storage-conformance';
import { afterAll } from 'vitest';
import { createRedisBus } from './redis-bus.js';
import { createRedisHotStore } from './redis-hot-store.js';
import {
  TEST_REDIS_URL,
  createTestClient,
  deleteKeysUnder,
  describeWithRedis,
  uniquePrefix,
} from './redis-test-support.js';

// One prefix and one channel per run of this file, so parallel runs never see each other.
const keyPrefix = uniquePrefix('conformance');
const channel = `${keyPrefix}events`;

describeWithRedis('redis adapters', () => {
  // Adapters given a client must use it and leave it open: the next test would fail otherwise.
  const shared = createTestClient();
  afterAll(async () => {
    shared.disconnect();
    await deleteKeysUnder(keyPrefix);
  });

  runHotStoreConformance({
    name: 'redis (own connection)',
    create: () => createRedisHotStore({ redis: TEST_REDIS_URL, keyPrefix }),
  });
  runHotStoreConformance({
    name: 'redis (shared client)',
    create: () => createRedisHotStore({ redis: shared, keyPrefix }),
  });

  runBusConformance({
    name: 'redis (own connection)',
    create: () => createRedisBus({ redis: TEST_REDIS_URL, channel }),
    createPeer: () => createRedisBus({ redis: TEST_REDIS_URL, channel }),
  });
  runBusConformance({
    name: 'redis (shared client)',
    create: () => createRedisBus({ redis: shared, channel }),
    createPeer: () => createRedisBus({ redis: TEST_REDIS_URL, channel }),
  });
});
