import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemnexError, type Memnex } from '@memnex/core';

/** What `<dataDir>/dev-key.json` holds. */
export interface DevKey {
  tenantId: string;
  keyId: string;
  /** The raw key. The file is readable by its owner only. */
  key: string;
}

/** Name of the dev tenant created on first boot. */
export const DEV_TENANT_NAME = 'dev';
const DEV_KEY_FILE = 'dev-key.json';

/** Where the dev key of a data dir is kept. */
export function devKeyPath(dataDir: string): string {
  return join(dataDir, DEV_KEY_FILE);
}

async function readDevKey(path: string): Promise<DevKey | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DevKey>;
    if (
      typeof parsed.tenantId === 'string' &&
      typeof parsed.keyId === 'string' &&
      typeof parsed.key === 'string'
    ) {
      return { tenantId: parsed.tenantId, keyId: parsed.keyId, key: parsed.key };
    }
  } catch {
    // A damaged file is replaced below, like a missing one.
  }
  return null;
}

async function writeDevKey(path: string, devKey: DevKey): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(devKey, null, 2)}\n`, { mode: 0o600 });
  // The mode of `writeFile` is masked by the umask; the key must be private whatever it is.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

async function stillValid(memnex: Memnex, devKey: DevKey): Promise<boolean> {
  try {
    const verified = await memnex.keys.verify({ key: devKey.key });
    return verified.tenantId === devKey.tenantId && verified.keyId === devKey.keyId;
  } catch (error) {
    if (MemnexError.isInstance(error) && error.code === 'UNAUTHENTICATED') return false;
    throw error;
  }
}

/**
 * The dev key of a data dir (`MEMNEX_DEV_KEY=1`): the one stored in `<dataDir>/dev-key.json` when
 * it still verifies, otherwise a new admin key, in the stored dev tenant when that still exists or
 * in a new tenant named "dev". `created` says whether a key was made.
 */
export async function ensureDevKey(
  memnex: Memnex,
  dataDir: string,
): Promise<DevKey & { created: boolean; path: string }> {
  const path = devKeyPath(dataDir);
  const stored = await readDevKey(path);
  if (stored && (await stillValid(memnex, stored))) return { ...stored, created: false, path };

  const existing = stored
    ? await memnex.tenants.get({ tenantId: stored.tenantId }).catch((error: unknown) => {
        // A tenant id that is not even well formed means a hand-edited file: start afresh.
        if (MemnexError.isInstance(error) && error.code === 'VALIDATION_FAILED') return null;
        throw error;
      })
    : null;
  const tenantId =
    existing && !existing.disabled
      ? existing.id
      : (await memnex.tenants.create({ name: DEV_TENANT_NAME })).id;
  const created = await memnex.keys.create({
    tenantId,
    label: 'dev',
    scopes: ['admin'],
    environment: 'test',
  });
  const devKey: DevKey = { tenantId, keyId: created.record.id, key: created.key };
  await mkdir(dataDir, { recursive: true });
  await writeDevKey(path, devKey);
  return { ...devKey, created: true, path };
}
