export { createRedisHotStore } from './redis-hot-store.js';
export type { RedisHotStoreOptions } from './redis-hot-store.js';
export { createRedisBus } from './redis-bus.js';
export type { RedisBusOptions } from './redis-bus.js';
export { createRedisRateLimiter } from './redis-rate-limiter.js';
export type { RedisRateLimiterOptions } from './redis-rate-limiter.js';
export type { RedisConnectionOption } from './redis-connection.js';
export { createRedisStateStore } from './redis-state-store.js';
export type { RedisStateStoreOptions } from './redis-state-store.js';
