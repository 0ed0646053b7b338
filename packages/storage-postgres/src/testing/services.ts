import { describe, it } from 'vitest';

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
