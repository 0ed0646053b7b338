import type { ApiKeyRecord, TenantRecord } from '@memnex/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Transaction } from './database.js';
import { apiKeys, tenants } from './schema.js';
import { toApiKey, toTenant, type Options } from './warm-records.js';

export async function createTenant(
  transaction: Transaction,
  { tenant }: Options<'createTenant'>,
): Promise<void> {
  await transaction.insert(tenants).values({
    id: tenant.id,
    name: tenant.name,
    createdAt: tenant.createdAt,
    disabled: tenant.disabled,
    settings: tenant.settings,
  });
}

export async function getTenant(
  transaction: Transaction,
  { tenantId }: Options<'getTenant'>,
): Promise<TenantRecord | null> {
  const [row] = await transaction.select().from(tenants).where(eq(tenants.id, tenantId));
  return row ? toTenant(row) : null;
}

export async function updateTenant(
  transaction: Transaction,
  { tenantId, set }: Options<'updateTenant'>,
): Promise<TenantRecord | null> {
  const columns: Partial<typeof tenants.$inferInsert> = {};
  if (set.name !== undefined) columns.name = set.name;
  if (set.disabled !== undefined) columns.disabled = set.disabled;
  if (set.settings !== undefined) columns.settings = set.settings;
  if (Object.keys(columns).length === 0) return getTenant(transaction, { tenantId });
  const [row] = await transaction
    .update(tenants)
    .set(columns)
    .where(eq(tenants.id, tenantId))
    .returning();
  return row ? toTenant(row) : null;
}

export async function createApiKey(
  transaction: Transaction,
  { tenantId, key }: Options<'createApiKey'>,
): Promise<void> {
  await transaction.insert(apiKeys).values({ ...key, tenantId });
}

/** Runs in a transaction scoped to the key id alone (see `api_key_lookup` in the migrations). */
export async function findApiKey(
  transaction: Transaction,
  { keyId }: Options<'findApiKey'>,
): Promise<ApiKeyRecord | null> {
  const [row] = await transaction.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row ? toApiKey(row) : null;
}

export async function listApiKeys(
  transaction: Transaction,
  { tenantId }: Options<'listApiKeys'>,
): Promise<ApiKeyRecord[]> {
  const rows = await transaction
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return rows.map(toApiKey);
}

export async function revokeApiKey(
  transaction: Transaction,
  { tenantId, keyId, at }: Options<'revokeApiKey'>,
): Promise<ApiKeyRecord | null> {
  // The first revocation time is the one that matters for audits; keep it.
  const [row] = await transaction
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at}::timestamptz)` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
    .returning();
  return row ? toApiKey(row) : null;
}

export async function touchApiKey(
  transaction: Transaction,
  { tenantId, keyId, at }: Options<'touchApiKey'>,
): Promise<void> {
  await transaction
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
}
