import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { SECRETS_FILE } from './data-dir-secrets.js';
import { createRuntime } from './runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

interface Written {
  tenantId: string;
  key: string;
  keyId: string;
  texts: string[];
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Start the writer child on the data dir (no audit or PII key configured) and await its report. */
async function startWriter(dataDir: string): Promise<{ child: ChildProcess; written: Written }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'testing/embedded-writer.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, MEMNEX_DATA_DIR: dataDir, MEMNEX_EMBEDDINGS: 'hash' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const written = await new Promise<Written>((settle, fail) => {
    lines.once('line', (line) => settle(JSON.parse(line) as Written));
    child.once('exit', (code) => fail(new Error(`writer exited with ${code}: ${stderr}`)));
  });
  return { child, written };
}

describe('embedded default', () => {
  // Creates a PGlite cluster in a child, then opens it twice here: allow for a loaded machine.
  it(
    'keeps every acknowledged memory, key and ledger entry through kill -9, and refuses a second process',
    { timeout: 180_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'memnex-crash-'));
      dirs.push(dataDir);
      const { child, written } = await startWriter(dataDir);

      // While the writer runs, this process is refused the data dir, with the owner named.
      const config = loadConfig({ MEMNEX_DATA_DIR: dataDir, MEMNEX_EMBEDDINGS: 'hash' });
      await expect(createRuntime({ config })).rejects.toThrow(
        new RegExp(`in use by another Memnex process \\(pid ${child.pid}\\)`, 'u'),
      );

      const exited = new Promise((settle) => child.once('exit', settle));
      child.kill('SIGKILL');
      await exited;

      // The generated keys were kept with the data, readable by their owner only.
      expect((await stat(join(dataDir, SECRETS_FILE))).mode & 0o077).toBe(0);
      expect(JSON.parse(await readFile(join(dataDir, SECRETS_FILE), 'utf8'))).toHaveProperty(
        'auditKey',
      );

      const runtime = await createRuntime({ config });
      try {
        const { memnex } = runtime;
        const { tenantId } = written;
        expect(await memnex.keys.verify({ key: written.key })).toMatchObject({
          tenantId,
          keyId: written.keyId,
        });
        const found: string[] = [];
        for (let index = 0; index < written.texts.length; index++) {
          const read = await memnex.read({
            tenantId,
            user: {
              identifier: { channel: 'whatsapp', id: `wa:44207946${String(1000 + index)}` },
            },
          });
          found.push(...read.items.map((item) => item.text));
        }
        expect(found).toEqual(written.texts);
        // Tenant, key and one entry per write: all there, and the chain verifies.
        expect(await memnex.audit.verify({ tenantId })).toEqual(
          expect.objectContaining({ ok: true, count: 2 + written.texts.length }),
        );
      } finally {
        await runtime.close();
      }
    },
  );
});
