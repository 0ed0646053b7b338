import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MemnexError, type Logger } from '@memnex/core';

/** File, inside the embedded data dir, that holds the keys generated for it. */
export const SECRETS_FILE = 'secrets.json';

/** The keys an embedded data dir is sealed and masked with. */
export interface DataDirSecrets {
  auditKey: string;
  piiKey: string;
}

function parseSecrets(text: string, path: string): DataDirSecrets {
  try {
    const value = JSON.parse(text) as Partial<DataDirSecrets>;
    if (typeof value.auditKey === 'string' && typeof value.piiKey === 'string') {
      return { auditKey: value.auditKey, piiKey: value.piiKey };
    }
  } catch {
    // Reported below.
  }
  throw new MemnexError({
    code: 'STORAGE_UNAVAILABLE',
    message:
      `${path} is not a valid Memnex secrets file; restore it from a backup, or set ` +
      'MEMNEX_AUDIT_KEY and MEMNEX_PII_KEY to the keys this data dir was written with',
    details: { path },
  });
}

/**
 * The audit and PII keys of an embedded data dir: read from `secrets.json`, or generated and
 * written there (mode 0600) on first start. Without them, receipts and the ledger would stop
 * verifying and PII tokens would change after every restart.
 */
export async function loadDataDirSecrets(
  dataDir: string,
  logger?: Logger,
): Promise<DataDirSecrets> {
  const path = join(dataDir, SECRETS_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const fresh: DataDirSecrets = {
    auditKey: `k1:${randomBytes(32).toString('base64url')}`,
    piiKey: randomBytes(32).toString('base64url'),
  };
  // Written whole to a private file, then linked into place: `link` fails when the file exists,
  // so of two first starts one creates it and the other reads a complete file.
  const draft = join(dataDir, `.${SECRETS_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const file = await open(draft, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(fresh, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(draft, path);
    logger?.info('generated the audit and PII keys of the data dir; back them up with it', {
      path,
    });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  return parseSecrets(await readFile(path, 'utf8'), path);
}
