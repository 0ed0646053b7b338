import { randomBytes } from 'node:crypto';
import { MemnexError } from '../errors.js';
import type { TenantRecord, TenantSettings } from '../model.js';
import type { WarmStore } from '../ports/index.js';

/** Tenants read through a small in-process cache, dropped on `tenant.changed` events. */
export class TenantCache {
  private readonly cache = new Map<string, TenantRecord>();

  constructor(private readonly warm: WarmStore) {}

  /** The tenant, or `NOT_FOUND`; a disabled tenant is `FORBIDDEN`. */
  async require(tenantId: string): Promise<TenantRecord> {
    let tenant = this.cache.get(tenantId);
    if (!tenant) {
      tenant = (await this.warm.getTenant({ tenantId })) ?? undefined;
      if (!tenant) throw MemnexError.notFound(`tenant ${tenantId}`);
      this.cache.set(tenantId, tenant);
    }
    if (tenant.disabled) {
      throw new MemnexError({ code: 'FORBIDDEN', message: `tenant ${tenantId} is disabled` });
    }
    return tenant;
  }

  drop(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  clear(): void {
    this.cache.clear();
  }
}

/** A new tenant id, `t_<16 hex>`. */
export function newTenantId(): string {
  return `t_${randomBytes(8).toString('hex')}`;
}

/** Options of `memnex.tenants.create`. */
export interface CreateTenantOptions {
  /** Display name. */
  name: string;
  /** Explicit id (letters, digits, `_`, `-`); a random `t_<16 hex>` when absent. */
  id?: string;
  /** Conflict policies, default phone region, retention. */
  settings?: TenantSettings;
}
