import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, runMemnex, serverEnv, tempDir } from './memnex-process.js';

afterEach(cleanUp);

describe('memnex management commands', () => {
  it('db migrate applies the migrations to a fresh data dir, then says it is up to date', async () => {
    const env = serverEnv(await tempDir());
    const first = await runMemnex(['db', 'migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied \d+ migration\(s\) to the embedded database in /u);
    expect(first.stdout).toContain('0000_');
    const again = await runMemnex(['db', 'migrate'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/is up to date\n$/u);
  });

  it('a bad environment value stops the command with exit 1, listing every problem', async () => {
    const directory = await tempDir();
    const env = serverEnv(directory, { MEMNEX_EMBEDDINGS: 'bogus', MEMNEX_LOG_LEVEL: 'chatty' });
    for (const args of [
      ['db', 'migrate'],
      ['serve', 'mcp', '--transport', 'streamable-http'],
      ['serve', 'rest', '--port', '0'],
    ]) {
      const result = await runMemnex(args, env);
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('error: VALIDATION_FAILED invalid configuration');
      expect(lines.filter((line) => line.startsWith('  - MEMNEX_EMBEDDINGS: '))).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('  - MEMNEX_LOG_LEVEL: '))).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /u);
    }
    expect(existsSync(join(directory, 'db'))).toBe(false);
  });

  it('usage errors exit 2; --version and --help exit 0', async () => {
    const env = serverEnv(await tempDir());
    const unknown = await runMemnex(['keys', 'rotate'], env);
    expect(unknown.code).toBe(2);
    const missing = await runMemnex(['keys', 'create'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--tenant <id>' not specified");
    const version = await runMemnex(['--version'], env);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/u) });
    const help = await runMemnex(['serve', 'mcp', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--transport <transport>');
    expect(help.stdout).toContain('Examples:');
  });
});
