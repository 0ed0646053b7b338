import { hostname } from 'node:os';
import { mkdir, open, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MemnexError, type Logger } from '@memnex/core';

/** Name of the lock file inside a data dir. */
export const LOCK_FILE = 'memnex.lock';

/** A held lock; `release` is idempotent. */
export interface DataDirLock {
  /** Remove the lock file, if it is still ours. */
  release(): Promise<void>;
}

/** Who holds a lock, as written in the lock file. */
interface LockOwner {
  pid: number;
  hostname: string;
}

/** Data dirs (real paths) locked by this process: a second open in-process fails as well. */
const HELD = new Set<string>();

/** A takeover guard older than this was left by a process that died mid-takeover. */
const STALE_GUARD_MS = 10_000;

/** An unreadable lock file younger than this may still be being written by its owner. */
const UNREADABLE_GRACE_MS = 2_000;

function inUse(dataDir: string, pid: number): MemnexError {
  return new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message:
      `the data dir ${dataDir} is in use by another Memnex process (pid ${pid}); ` +
      'only one process may open an embedded data dir. Talk to the running server over its ' +
      'HTTP transport (MEMNEX_URL) instead, or point every process at a Postgres server ' +
      '(MEMNEX_POSTGRES_URL).',
    details: { dataDir, pid },
  });
}

function parseOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner> | number;
    if (typeof parsed === 'number') return { pid: parsed, hostname: hostname() };
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, hostname: parsed.hostname ?? hostname() };
  } catch {
    return null;
  }
}

async function readOwner(path: string): Promise<LockOwner | null | undefined> {
  try {
    return parseOwner(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether the owner may still be running. A pid on another host cannot be checked and counts as
 * alive; our own pid counts as dead, because this process does not hold the dir (that was
 * checked first), so the file was left by an earlier process that had the same pid, as happens
 * after a container restart.
 */
function ownerAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Milliseconds since the file was last written; 0 when it is gone. */
async function ageOf(path: string): Promise<number> {
  const stats = await stat(path).catch(() => null);
  return stats ? Date.now() - stats.mtimeMs : 0;
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Remove a stale lock file, unless another process got there first. A guard file, itself
 * created exclusively, makes sure that only one process removes the stale file, and that it
 * removes the file it judged stale rather than a fresh lock created meanwhile.
 */
async function removeStaleLock(path: string, stale: LockOwner | null): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    if ((await ageOf(guard)) > STALE_GUARD_MS) await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    const current = await readOwner(path);
    if (current !== undefined && JSON.stringify(current) === JSON.stringify(stale)) {
      await unlink(path).catch(() => undefined);
    }
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/**
 * Take the lock of an embedded data dir: `<dataDir>/memnex.lock`, created with `O_EXCL` and
 * holding this process's pid. A lock left by a process that is gone is taken over; a lock of a
 * live process fails with `STORAGE_UNAVAILABLE` naming its pid.
 */
export async function acquireDataDirLock(dataDir: string, logger?: Logger): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const key = await realpath(dataDir);
  if (HELD.has(key)) throw inUse(dataDir, process.pid);
  const path = join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname() };
  for (let attempt = 0; attempt < 30; attempt += 1) {
    if (HELD.has(key)) throw inUse(dataDir, process.pid);
    if (await createExclusive(path, JSON.stringify(owner))) {
      HELD.add(key);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          HELD.delete(key);
          const current = await readOwner(path).catch(() => null);
          if (current?.pid === owner.pid && current.hostname === owner.hostname) {
            await unlink(path).catch(() => undefined);
          }
        },
      };
    }
    const existing = await readOwner(path);
    if (existing === undefined) continue;
    if (existing && ownerAlive(existing)) throw inUse(dataDir, existing.pid);
    if (existing === null && (await ageOf(path)) < UNREADABLE_GRACE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    logger?.warn('taking over the lock of a stopped process', {
      dataDir,
      pid: existing?.pid ?? null,
    });
    await removeStaleLock(path, existing);
    await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
  }
  throw new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message: `could not take the lock of the data dir ${dataDir}; another process is starting`,
    details: { dataDir },
  });
}
