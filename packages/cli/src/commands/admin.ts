import { writeFile } from 'node:fs/promises';
import {
  MemnexError,
  type Memnex,
  type TenantRecord,
  type TenantSettingsChange,
} from '@memnex/core';
import type { Channel, KeyView, UserRef } from '@memnex/core/wire';
import { migrateDatabase } from '@memnex/runtime';
import { EXIT_CODES } from '../errors.js';
import { writeJson, writeLine, type CliIo } from '../io.js';
import { withProgress } from '../progress.js';
import { loggerFor, readConfig, withRuntime } from '../runtime.js';

/** Keys get these scopes unless `--scopes` says otherwise: an agent that remembers. */
export const DEFAULT_KEY_SCOPES = ['memory:read', 'memory:write', 'state:read:*', 'state:write:*'];

async function requireTenant(memnex: Memnex, tenantId: string): Promise<void> {
  const tenant = await memnex.tenants.get({ tenantId });
  if (!tenant) throw MemnexError.notFound(`tenant ${tenantId}`);
}

/** `memnex tenants create` */
export async function createTenant(
  io: CliIo,
  options: { name: string; id?: string; json?: boolean },
): Promise<number> {
  const tenant = await withRuntime(io, ({ memnex }) =>
    memnex.tenants.create({ name: options.name, id: options.id }),
  );
  if (options.json) writeJson(io.stdout, tenant);
  else writeLine(io.stdout, tenant.id);
  return EXIT_CODES.ok;
}

/** A tenant as the CLI prints it: id, name, state, then its settings as JSON. */
function writeTenant(io: CliIo, tenant: TenantRecord): void {
  writeLine(io.stdout, `${tenant.id}  ${tenant.name}${tenant.disabled ? '  (disabled)' : ''}`);
  writeLine(io.stdout, `settings: ${JSON.stringify(tenant.settings, null, 2)}`);
}

/** `memnex tenants show` */
export async function showTenant(
  io: CliIo,
  options: { tenant: string; json?: boolean },
): Promise<number> {
  const tenant = await withRuntime(io, ({ memnex }) =>
    memnex.tenants.get({ tenantId: options.tenant }),
  );
  if (!tenant) throw MemnexError.notFound(`tenant ${options.tenant}`);
  if (options.json) writeJson(io.stdout, tenant);
  else writeTenant(io, tenant);
  return EXIT_CODES.ok;
}

/**
 * `memnex tenants update`: each settings section given (`retention`, `conflictPolicy`,
 * `defaultRegion`, `minTrust`) replaces that section, `null` removes it; the others stay.
 */
export async function updateTenant(
  io: CliIo,
  options: { tenant: string; name?: string; settings?: Record<string, unknown>; json?: boolean },
): Promise<number> {
  const tenant = await withRuntime(io, ({ memnex }) =>
    memnex.tenants.update({
      tenantId: options.tenant,
      // The engine validates the sections.
      set: { name: options.name, settings: options.settings as TenantSettingsChange | undefined },
    }),
  );
  if (!tenant) throw MemnexError.notFound(`tenant ${options.tenant}`);
  if (options.json) writeJson(io.stdout, tenant);
  else writeTenant(io, tenant);
  return EXIT_CODES.ok;
}

/** `memnex keys create` */
export async function createKey(
  io: CliIo,
  options: {
    tenant: string;
    scopes?: string[];
    label: string;
    env: 'live' | 'test';
    channel?: Channel;
    pinUser?: string;
    json?: boolean;
  },
): Promise<number> {
  const created = await withRuntime(io, ({ memnex }) =>
    memnex.keys.create({
      tenantId: options.tenant,
      label: options.label,
      scopes: options.scopes ?? DEFAULT_KEY_SCOPES,
      environment: options.env,
      defaultChannel: options.channel ?? null,
      pinnedUserId: options.pinUser ?? null,
    }),
  );
  if (options.json) {
    writeJson(io.stdout, { key: created.key, tenantId: options.tenant, ...created.record });
  } else {
    writeLine(io.stdout, created.key);
  }
  writeLine(
    io.stderr,
    `created key ${created.record.id} for tenant ${options.tenant} ` +
      `(scopes: ${created.record.scopes.join(', ')}). ` +
      'The key is shown this once and cannot be recovered: store it now.',
  );
  return EXIT_CODES.ok;
}

function keyStatus(key: KeyView): string {
  return key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
}

/** `memnex keys list` */
export async function listKeys(
  io: CliIo,
  options: { tenant: string; json?: boolean },
): Promise<number> {
  const keys = await withRuntime(io, async ({ memnex }) => {
    await requireTenant(memnex, options.tenant);
    return memnex.keys.list({ tenantId: options.tenant });
  });
  if (options.json) {
    writeJson(io.stdout, keys);
    return EXIT_CODES.ok;
  }
  if (keys.length === 0) {
    writeLine(io.stderr, `tenant ${options.tenant} has no keys`);
    return EXIT_CODES.ok;
  }
  const rows = [
    ['ID', 'LABEL', 'ENV', 'SCOPES', 'CREATED', 'LAST USED', 'STATUS'],
    ...keys.map((key) => [
      key.id,
      key.label,
      key.environment,
      key.scopes.join(','),
      key.createdAt,
      key.lastUsedAt ?? '-',
      keyStatus(key),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    writeLine(
      io.stdout,
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  }
  return EXIT_CODES.ok;
}

/** `memnex keys revoke` */
export async function revokeKey(
  io: CliIo,
  options: { tenant: string; keyId: string; json?: boolean },
): Promise<number> {
  const revoked = await withRuntime(io, ({ memnex }) =>
    memnex.keys.revoke({ tenantId: options.tenant, keyId: options.keyId }),
  );
  if (options.json) writeJson(io.stdout, revoked);
  else writeLine(io.stdout, `revoked ${revoked.record.id} (${revoked.record.label})`);
  return EXIT_CODES.ok;
}

/** `memnex db migrate` */
export async function migrate(io: CliIo): Promise<number> {
  const config = readConfig(io);
  const logger = loggerFor(io, config, 'one-shot');
  const { target, applied } = await withProgress(io.stderr, 'applying migrations', () =>
    migrateDatabase(config, { logger }),
  );
  const where = target === 'postgres' ? 'Postgres' : `the embedded database in ${config.dataDir}`;
  if (applied.length === 0) {
    writeLine(io.stdout, `${where} is up to date`);
    return EXIT_CODES.ok;
  }
  writeLine(io.stdout, `applied ${applied.length} migration(s) to ${where}:`);
  for (const tag of applied) writeLine(io.stdout, `  ${tag}`);
  return EXIT_CODES.ok;
}

/** `memnex forget` */
export async function forget(
  io: CliIo,
  options: { tenant: string; user: UserRef; reason: string },
): Promise<number> {
  const receipt = await withRuntime(io, ({ memnex }) =>
    memnex.forget({ tenantId: options.tenant, user: options.user, reason: options.reason }),
  );
  writeJson(io.stdout, receipt);
  return EXIT_CODES.ok;
}

/** `memnex export` */
export async function exportUser(
  io: CliIo,
  options: { tenant: string; user: UserRef; out?: string },
): Promise<number> {
  const document = await withProgress(io.stderr, 'exporting', () =>
    withRuntime(io, ({ memnex }) =>
      memnex.export({ tenantId: options.tenant, user: options.user }),
    ),
  );
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (!options.out) {
    io.stdout.write(text);
  } else {
    // An export is personal data: readable by its owner only.
    await writeFile(options.out, text, { mode: 0o600 });
    writeLine(
      io.stderr,
      `wrote ${document.memories.length} memories and ${document.identifiers.length} identifiers to ${options.out}`,
    );
  }
  if (!document.user) writeLine(io.stderr, 'note: no such user; the export is empty');
  return EXIT_CODES.ok;
}

/** `memnex audit verify` */
export async function verifyAudit(
  io: CliIo,
  options: { tenant: string; json?: boolean },
): Promise<number> {
  const { result, keyConfigured } = await withRuntime(io, async ({ memnex, config, wiring }) => {
    await requireTenant(memnex, options.tenant);
    const verification = await withProgress(io.stderr, 'verifying the audit chain', () =>
      memnex.audit.verify({ tenantId: options.tenant }),
    );
    // The embedded database keeps generated keys in its data dir; a server database does not.
    const keyConfigured = config.auditKey !== undefined || wiring.warm === 'pglite';
    return { result: verification, keyConfigured };
  });
  if (options.json) writeJson(io.stdout, { tenantId: options.tenant, ...result });
  else if (result.ok) {
    const head = result.head ? `, head seq ${result.head.seq} ${result.head.hash}` : '';
    writeLine(
      io.stdout,
      `audit chain of ${options.tenant} verifies: ${result.count} entries${head}`,
    );
  } else {
    writeLine(
      io.stdout,
      `audit chain of ${options.tenant} does NOT verify: first bad entry seq ${result.seq} ` +
        `(position ${result.index}): ${result.problem}: ${result.message}`,
    );
  }
  if (!result.ok && !keyConfigured) {
    writeLine(
      io.stderr,
      'note: MEMNEX_AUDIT_KEY is not set, so entries sealed by another process cannot verify here',
    );
  }
  return result.ok ? EXIT_CODES.ok : EXIT_CODES.failure;
}
