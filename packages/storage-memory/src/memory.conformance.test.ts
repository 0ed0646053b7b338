import { composeSemanticIndex } from '@memnex/core';
import {
  runAccountStoreConformance,
  runAuditLogConformance,
  runBusConformance,
  runHotStoreConformance,
  runLeasesConformance,
  runRateLimiterConformance,
  runSemanticIndexConformance,
  runStateStoreConformance,
  runUsageStoreConformance,
  runWarmStoreConformance,
} from '@memnex/storage-conformance';
import { createMemoryAccountStore } from './memory-account-store.js';
import { createMemoryAuditLog } from './memory-audit-log.js';
import { createMemoryBus } from './memory-bus.js';
import { createMemoryHotStore } from './memory-hot-store.js';
import { createMemoryLeases } from './memory-leases.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import { createMemorySemanticIndex } from './memory-semantic-index.js';
import { createMemoryStateStore } from './memory-state-store.js';
import { createMemoryUsageStore } from './memory-usage-store.js';
import { createMemoryWarmStore } from './memory-warm-store.js';

runWarmStoreConformance({ name: 'memory', create: () => createMemoryWarmStore() });
runHotStoreConformance({ name: 'memory', create: () => createMemoryHotStore() });
runSemanticIndexConformance({ name: 'memory', create: () => createMemorySemanticIndex() });
runBusConformance({ name: 'memory', create: () => createMemoryBus() });
runAuditLogConformance({ name: 'memory', create: () => createMemoryAuditLog() });
runStateStoreConformance({ name: 'memory', create: () => createMemoryStateStore() });
runLeasesConformance({ name: 'memory', create: () => createMemoryLeases() });
runSemanticIndexConformance({
  name: 'composed (memory lexical + memory vector)',
  create: () =>
    composeSemanticIndex({
      lexical: createMemorySemanticIndex(),
      vector: createMemorySemanticIndex(),
    }),
});
runRateLimiterConformance({
  name: 'memory',
  create: (limit, now) => createMemoryRateLimiter({ ...limit, now }),
});
runAccountStoreConformance({ name: 'memory', create: () => createMemoryAccountStore() });
runUsageStoreConformance({ name: 'memory', create: () => createMemoryUsageStore() });
