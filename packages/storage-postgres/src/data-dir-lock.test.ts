import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemnexError } from '@memnex/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, LOCK_FILE } from './data-dir-lock.js';

let dataDir = '';
const lockPath = () => join(dataDir, LOCK_FILE);
const owner = async () => JSON.parse(await readFile(lockPath(), 'utf8')) as { pid: number };

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 2 ** 22 + 1;
}

async function lockError(promise: Promise<unknown>): Promise<MemnexError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(MemnexError.isInstance(error)).toBe(true);
  return error as MemnexError;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'memnex-lock-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('acquireDataDirLock', () => {
  it('writes this process id into the lock file and removes it on release', async () => {
    const lock = await acquireDataDirLock(dataDir);
    expect(await owner()).toMatchObject({ pid: process.pid });
    await lock.release();
    await lock.release();
    await expect(readFile(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a second open in the same process, naming the pid and the alternatives', async () => {
    const lock = await acquireDataDirLock(dataDir);
    const error = await lockError(acquireDataDirLock(dataDir));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain('HTTP transport');
    expect(error.message).toContain('Postgres server');
    expect(error.details).toMatchObject({ pid: process.pid });
    await lock.release();
    await (await acquireDataDirLock(dataDir)).release();
  });

  it('refuses a data dir locked by another live process, naming its pid', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await writeFile(lockPath(), JSON.stringify({ pid: child.pid }));
      const error = await lockError(acquireDataDirLock(dataDir));
      expect(error.message).toContain(`pid ${child.pid}`);
      expect(await owner()).toMatchObject({ pid: child.pid });
    } finally {
      child.kill();
    }
  });

  it('takes over the lock of a process that is gone', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid() }));
    const lock = await acquireDataDirLock(dataDir);
    expect(await owner()).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over an unreadable lock file once it is old, not while it may be being written', async () => {
    await writeFile(lockPath(), '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath(), old, old);
    const lock = await acquireDataDirLock(dataDir);
    expect(await owner()).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('treats a lock written on another host as held', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.invalid' }));
    await lockError(acquireDataDirLock(dataDir));
  });

  it('leaves a lock file alone on release once it belongs to someone else', async () => {
    const lock = await acquireDataDirLock(dataDir);
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid() }));
    await lock.release();
    expect(await owner()).not.toMatchObject({ pid: process.pid });
  });
});
