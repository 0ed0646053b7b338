import { z } from 'zod';
import type { TenantRecord } from '../model.js';
import { tenantIdSchema } from '../wire/common.js';
import type { EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { newTenantId, type CreateTenantOptions } from './tenants.js';
import { parseInput } from './validate.js';

const policySchema = z.enum(['latest_wins', 'keep_both', 'append_only']);
const typeKeys = z.enum(['intent', 'preference', 'issue', 'resolution', 'profile', 'event']);

const createTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  id: tenantIdSchema.optional(),
  settings: z
    .strictObject({
      conflictPolicy: z.partialRecord(typeKeys, policySchema).optional(),
      defaultRegion: z
        .string()
        .regex(/^[A-Z]{2}$/u, 'must be an ISO 3166-1 alpha-2 code such as "IN"')
        .optional(),
      retention: z.partialRecord(typeKeys, z.number().int().positive()).optional(),
    })
    .default({}),
});

/** Tenant management of the engine. */
export interface TenantsApi {
  /** Create a tenant; `CONFLICT` when the id is taken. */
  create(options: CreateTenantOptions): Promise<TenantRecord>;
  get(options: { tenantId: string }): Promise<TenantRecord | null>;
  update(options: {
    tenantId: string;
    set: Partial<Pick<TenantRecord, 'name' | 'disabled' | 'settings'>>;
  }): Promise<TenantRecord | null>;
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
