export { createPostgresStores } from './postgres-stores.js';
export type {
  ExistingClientStoresOptions,
  PgliteDataDirStoresOptions,
  PgliteMemoryStoresOptions,
  PostgresServerStoresOptions,
  PostgresStores,
  PostgresStoresCommonOptions,
  PostgresStoresOptions,
} from './postgres-stores.js';
export type { PostgresSemanticIndex } from './semantic-index.js';
export { migrate } from './migrate.js';
export type { MigrateOptions } from './migrate.js';
export * as schema from './schema.js';
