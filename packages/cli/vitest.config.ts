import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The embedded database takes seconds to open on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
