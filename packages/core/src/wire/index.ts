/**
 * Wire schemas of Memnex: zod schemas and types shared by the engine, the servers and the client.
 * This entry point holds no engine code.
 */
export * from './common.js';
export * from './memory.js';
export * from './users.js';
export * from './keys.js';
export * from './identifiers.js';
export * from './audit.js';
export * from './tenants.js';
export * from './errors.js';
export * from './state.js';
export * from './lifecycle.js';
export type * from './console.js';
