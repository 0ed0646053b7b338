import {
  runBusConformance,
  runHotStoreConformance,
  runStateStoreConformance,
} from '@memnex/storage-conformance';
import { afterAll } from 'vitest';
import { createRedisBus } from './redis-bus.js';
import { createRedisHotStore } from './redis-hot-store.js';
import { createRedisStateStore } from './redis-state-store.js';
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

  // The suite shares one store between its tests (each works in its own tenants); the peer is
  // another store over the same keys, as another process would open.
  runStateStoreConformance({
    name: 'redis (own connection)',
    create: () => createRedisStateStore({ redis: TEST_REDIS_URL, keyPrefix }),
    createPeer: () => createRedisStateStore({ redis: TEST_REDIS_URL, keyPrefix }),
  });
  runStateStoreConformance({
    name: 'redis (shared client)',
    create: () => createRedisStateStore({ redis: shared, keyPrefix }),
    createPeer: () => createRedisStateStore({ redis: TEST_REDIS_URL, keyPrefix }),
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
