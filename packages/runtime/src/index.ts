export { envSchema, loadConfig } from './config.js';
export type { EmbeddingsConfig, MemnexConfig } from './config.js';
export { createLogger } from './logger.js';
export type { CreateLoggerOptions } from './logger.js';
export { createRuntime, createStores, migrateDatabase, planWiring } from './runtime.js';
export type { Runtime, RuntimeOptions, Wiring } from './runtime.js';
