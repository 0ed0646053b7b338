import { defineConfig } from 'tsup';

/** The build every published package shares: ESM with declarations and source maps, for Node 20. */
export function libraryConfig(entry: string[] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  });
}
