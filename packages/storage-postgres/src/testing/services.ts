import { describe, it } from 'vitest';
import { describeUrl } from '../server-database.js';
import { createTestDatabase, TEST_POSTGRES_URL } from './test-database.js';

/**
 * A `describe` for tests that need outside services (Postgres, Redis, ...), given why they cannot
 * be used, or null when they can. Without them the tests fail under `CI=true` (a missing service
 * must not pass silently) and are skipped, with the reason in their name, elsewhere.
 */
export function describeForServices(
  unavailable: string | null,
): (name: string, body: () => void) => void {
  return (name, body) => {
    if (unavailable === null) describe(name, body);
    else if (process.env.CI === 'true') {
      describe(name, () => {
        it('has its services', () => {
          throw new Error(unavailable);
        });
      });
    } else describe.skip(`${name} (skipped: ${unavailable})`, body);
  };
}

/**
 * Why the test Postgres ({@link TEST_POSTGRES_URL}) cannot be used, or null when a database can
 * be created and dropped on it: a reason for {@link describeForServices}.
 */
export async function testPostgresUnavailable(): Promise<string | null> {
  try {
    await (await createTestDatabase()).drop();
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return (
      `Postgres is unreachable at ${describeUrl(TEST_POSTGRES_URL)} (${message}); ` +
      'set MEMNEX_TEST_POSTGRES_URL'
    );
  }
}
