import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Every test spawns the real command, which opens an embedded database: seconds each on a
    // loaded machine. Readiness is awaited on the server's own output, never by sleeping.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Files run one at a time: each spawns several database-opening processes of its own.
    fileParallelism: false,
  },
});
