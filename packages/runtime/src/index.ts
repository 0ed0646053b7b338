export { envSchema, loadConfig } from './config.js';
export type { EmbeddingsConfig, MemnexConfig } from './config.js';
export { createRuntime, createStores, planWiring } from './runtime.js';
export type { Runtime, RuntimeOptions, Wiring } from './runtime.js';
