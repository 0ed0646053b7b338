import { isSupportedRegion } from '@memnex/identity';
import { z } from 'zod';
import type { TenantRecord } from '../model.js';
import type { TenantStatsRecord } from '../ports/index.js';
import { tenantIdSchema, trustSchema } from '../wire/common.js';
import type { EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { newTenantId, type CreateTenantOptions } from './tenants.js';
import type { TenantUsage } from './usage.js';
import { parseInput, splitTenant } from './validate.js';

const policySchema = z.enum(['latest_wins', 'keep_both', 'append_only']);
const typeKeys = z.enum(['intent', 'preference', 'issue', 'resolution', 'profile', 'event']);

const settingsSchema = z.strictObject({
  conflictPolicy: z.partialRecord(typeKeys, policySchema).optional(),
  defaultRegion: z
    .string()
    .refine(isSupportedRegion, 'must be an ISO 3166-1 alpha-2 phone region such as "IN"')
    .transform((region) => region.toUpperCase())
    .optional(),
  retention: z.partialRecord(typeKeys, z.number().int().positive()).optional(),
  minTrust: z.partialRecord(typeKeys, trustSchema).optional(),
});

const createTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  id: tenantIdSchema.optional(),
  settings: settingsSchema.default({}),
});

const updateTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  disabled: z.boolean().optional(),
  settings: settingsSchema.optional(),
});

/** Options of `memnex.tenants.update`. */
export interface TenantUpdateOptions {
  tenantId: string;
  set: Partial<Pick<TenantRecord, 'name' | 'disabled' | 'settings'>>;
  /** Who made the change, for the ledger (`system` by default). */
  actor?: string;
}

/** Tenant management of the engine. */
export interface TenantsApi {
  /** Create a tenant; `CONFLICT` when the id is taken. */
  create(options: CreateTenantOptions): Promise<TenantRecord>;
  get(options: { tenantId: string }): Promise<TenantRecord | null>;
  /** Change the name, state or settings (`settings` replaces them whole); audited. */
  update(options: TenantUpdateOptions): Promise<TenantRecord | null>;
  /** Counts of the tenant's users and current memories, by kind, type and channel. */
  stats(options: { tenantId: string }): Promise<TenantStats>;
  /**
   * Reads, writes and cache lookups per hour over the last `hours` hours (default 24, at most
   * 744), counted by every instance sharing the stores; up to one flush interval behind for
   * other instances' counts.
   */
  usage(options: { tenantId: string; hours?: number }): Promise<TenantUsage>;
}

/** What a tenant holds now: people and current memories, by kind, type and channel. */
export type TenantStats = { tenantId: string } & TenantStatsRecord;

/** The tenant's stats, from the warm store. */
export async function tenantStats(
  context: EngineContext,
  options: { tenantId: string },
): Promise<TenantStats> {
  const [tenantId] = splitTenant(options);
  return { tenantId, ...(await context.stores.warm.tenantStats({ tenantId })) };
}

export async function createTenant(
  context: EngineContext,
  options: CreateTenantOptions,
): Promise<TenantRecord> {
  const input = parseInput(createTenantSchema, options);
  const tenant: TenantRecord = {
    id: input.id ?? newTenantId(),
    name: input.name,
    createdAt: context.now().toISOString(),
    disabled: false,
    settings: input.settings,
  };
  // The store refuses a taken id with CONFLICT, atomically; a check before it would race.
  await context.stores.warm.createTenant({ tenant });
  await appendAudit(context, tenant.id, {
    op: 'tenant.create',
    actor: 'system',
    subject: tenant.id,
    payload: {},
  });
  return tenant;
}

/**
 * Change a tenant's name, state or settings (validated like at creation); null when unknown.
 * The change is in the tenant's ledger (`tenant.update`, with what was set).
 */
export async function updateTenant(
  context: EngineContext,
  options: TenantUpdateOptions,
): Promise<TenantRecord | null> {
  const [tenantId, rest] = splitTenant(options);
  const set = parseInput(updateTenantSchema, rest.set, 'set');
  const updated = await context.stores.warm.updateTenant({ tenantId, set });
  if (updated) {
    await appendAudit(context, tenantId, {
      op: 'tenant.update',
      actor: rest.actor ?? 'system',
      subject: tenantId,
      payload: { set },
    });
  }
  context.tenants.drop(tenantId);
  context.keys.dropTenant(tenantId);
  await context.stores.bus.publish({
    origin: context.instanceId,
    type: 'tenant.changed',
    tenantId,
  });
  return updated;
}
