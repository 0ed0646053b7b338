#!/usr/bin/env node
// The published entry point: the compiled command lives in dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('memnex is not built yet: run `pnpm build` in the repository first.\n');
  process.exit(1);
}
await import(entry.href);
