import { isSupportedRegion } from '@memnex/identity';
import { z } from 'zod';
import type { TenantRecord, TenantSettings } from '../model.js';
import type { TenantStatsRecord } from '../ports/index.js';
import { tenantIdSchema, trustSchema } from '../wire/common.js';
import type { CallContext, EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { newTenantId, type CreateTenantOptions } from './tenants.js';
import type { TenantUsage } from './usage.js';
import { parseInput, splitTenant } from './validate.js';

const policySchema = z.enum(['latest_wins', 'keep_both', 'append_only']);
const typeKeys = z.enum(['intent', 'preference', 'issue', 'resolution', 'profile', 'event']);

/** The sections of a tenant's settings. */
const sections = {
  conflictPolicy: z.partialRecord(typeKeys, policySchema),
  defaultRegion: z
    .string()
    .refine(isSupportedRegion, 'must be an ISO 3166-1 alpha-2 phone region such as "IN"')
    .transform((region) => region.toUpperCase()),
  retention: z.partialRecord(typeKeys, z.number().int().positive()),
  minTrust: z.partialRecord(typeKeys, trustSchema),
};

const settingsSchema = z.strictObject(sections).partial();

/** A change of settings: each section given replaces its own, `null` removes it. */
const settingsChangeSchema = z.strictObject({
  conflictPolicy: sections.conflictPolicy.nullable().optional(),
  defaultRegion: sections.defaultRegion.nullable().optional(),
  retention: sections.retention.nullable().optional(),
  minTrust: sections.minTrust.nullable().optional(),
});

const createTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  id: tenantIdSchema.optional(),
  settings: settingsSchema.default({}),
});

const updateTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  disabled: z.boolean().optional(),
  settings: settingsChangeSchema.optional(),
});

/** A change of a tenant's settings: each section given replaces its own, `null` removes it. */
export type TenantSettingsChange = {
  [Section in keyof TenantSettings]?: TenantSettings[Section] | null;
};

/** Options of `memnex.tenants.update`. */
export interface TenantUpdateOptions extends Pick<CallContext, 'actor'> {
  tenantId: string;
  set: Partial<Pick<TenantRecord, 'name' | 'disabled'>> & { settings?: TenantSettingsChange };
}

/** Tenant management of the engine. */
export interface TenantsApi {
  /** Create a tenant; `CONFLICT` when the id is taken. */
  create(options: CreateTenantOptions): Promise<TenantRecord>;
  get(options: { tenantId: string }): Promise<TenantRecord | null>;
  /**
   * Change the name, state or settings; audited. Each settings section given (`retention`,
   * `conflictPolicy`, ...) replaces its own, `null` removes it, and the others stay.
   */
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
  const { warm } = context.stores;
  let settings: TenantSettings | undefined;
  if (set.settings) {
    const current = await warm.getTenant({ tenantId });
    if (!current) return null;
    const merged: Record<string, unknown> = { ...current.settings, ...set.settings };
    for (const [section, value] of Object.entries(merged)) {
      if (value === null) delete merged[section];
    }
    settings = merged as TenantSettings;
  }
  const updated = await warm.updateTenant({ tenantId, set: { ...set, settings } });
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
