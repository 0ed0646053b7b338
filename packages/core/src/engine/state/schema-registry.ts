import type { ValidateFunction } from 'ajv';
import type { StateSchemaEntry, StateStore } from '../../ports/index.js';
import { compareSpecificity, compileGlob, type Glob } from '../../util/glob.js';
import { compileSchema } from './json-schemas.js';

interface CompiledSchema {
  entry: StateSchemaEntry;
  glob: Glob;
  validate: ValidateFunction;
}

/** A tenant's schemas at one revision, most specific first. */
export interface TenantSchemas {
  revision: number;
  schemas: CompiledSchema[];
  /** The schema that applies to `key`: the most specific pattern matching it. */
  forKey(key: string): CompiledSchema | undefined;
}

const MAX_TENANTS = 10_000;

/**
 * Compiled schemas per tenant. Entries are trusted optimistically: a write carries the revision
 * it was validated against and the store refuses it if schemas changed since, so a stale entry
 * costs one retry, never a wrongly accepted value.
 */
export class SchemaRegistry {
  private readonly tenants = new Map<string, Promise<TenantSchemas>>();

  constructor(private readonly store: () => StateStore) {}

  get(tenantId: string): Promise<TenantSchemas> {
    let entry = this.tenants.get(tenantId);
    if (!entry) {
      entry = this.load(tenantId);
      if (this.tenants.size >= MAX_TENANTS) {
        const oldest = this.tenants.keys().next().value;
        if (oldest !== undefined) this.tenants.delete(oldest);
      }
      this.tenants.set(tenantId, entry);
      entry.catch(() => {
        if (this.tenants.get(tenantId) === entry) this.tenants.delete(tenantId);
      });
    }
    return entry;
  }

  /** Forget a tenant's schemas (they changed here or on another instance). */
  drop(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  clear(): void {
    this.tenants.clear();
  }

  private async load(tenantId: string): Promise<TenantSchemas> {
    const { revision, schemas } = await this.store().listSchemas({ tenantId });
    const compiled = schemas
      .map((entry) => ({ entry, glob: compileGlob(entry.pattern), validate: compileStored(entry) }))
      .sort((a, b) => compareSpecificity(a.entry.pattern, b.entry.pattern));
    return {
      revision,
      schemas: compiled,
      forKey: (key) => compiled.find((schema) => schema.glob.test(key)),
    };
  }
}

/**
 * A stored schema was valid when registered; if it no longer compiles (a dialect dropped), it
 * rejects every value rather than silently letting anything through.
 */
function compileStored(entry: StateSchemaEntry): ValidateFunction {
  try {
    return compileSchema(entry.schema);
  } catch {
    return compileSchema(false);
  }
}
