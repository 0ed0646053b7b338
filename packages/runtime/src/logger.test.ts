import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createLogger } from './logger.js';

it('writes JSON lines at or above its level, with bindings and serialised errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'memnex-log-'));
  const path = join(dir, 'log');
  const fd = openSync(path, 'w');
  try {
    const logger = createLogger({ level: 'info', fd });
    logger.debug('hidden');
    logger.child({ request: 'r1' }).warn('store slow', { error: new Error('timeout') });
    logger.info('plain');
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'store slow', request: 'r1', name: 'memnex' });
    expect(lines[0]!.error).toMatchObject({ type: 'Error', message: 'timeout' });
    expect(String((lines[0]!.error as { stack: string }).stack)).toContain('logger.test.ts');
    expect(lines[1]).toMatchObject({ level: 30, msg: 'plain' });
  } finally {
    closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  }
});
