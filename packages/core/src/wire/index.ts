/**
 * Wire schemas of Memnex: zod schemas and types shared by the engine, the servers and the client.
 * This entry point holds no engine code.
 */
export * from './common.js';
export * from './memory.js';
export * from './users.js';
export * from './keys.js';
