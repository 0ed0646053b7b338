/** Test support for suites that need a real Postgres: a database per run, dropped afterwards. */
export { createTestDatabase, TEST_POSTGRES_URL } from './testing/test-database.js';
export type { TestDatabase, TestDatabaseOptions } from './testing/test-database.js';
export { describeForServices, testPostgresUnavailable } from './testing/services.js';
