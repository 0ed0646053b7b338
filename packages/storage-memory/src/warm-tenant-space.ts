import type {
  ApiKeyRecord,
  IdempotencyRecord,
  IdentifierNamespace,
  IdentifierRecord,
  MemoryRecord,
  TenantRecord,
  UserRecord,
} from '@memnex/core';
import { getOrCreate } from './collections.js';

/** What the warm store keeps per user, so that per-user work never scans the tenant. */
export interface UserBucket {
  /** The user's memories, current and historical, by id. */
  memories: Map<string, MemoryRecord>;
  /** Keys (see {@link identifierKey}) of the identifiers linked to the user. */
  identifierKeys: Set<string>;
  /** Idempotency keys whose records belong to the user. */
  idempotencyKeys: Set<string>;
}

/** Everything one tenant owns. Nothing in it refers to another tenant. */
export interface TenantSpace {
  /** The tenant row; null while only data created before `createTenant` exists. */
  tenant: TenantRecord | null;
  /** Ids of the tenant's API keys; the records live in the store-wide key map. */
  apiKeyIds: Set<string>;
  /** Users by internal id. */
  users: Map<string, UserRecord>;
  /** Internal user id by external id. */
  userIdsByExternalId: Map<string, string>;
  /** Per-user data by internal user id; may exist before or without a user row. */
  buckets: Map<string, UserBucket>;
  /** Owner (internal user id) of every memory of the tenant, by memory id. */
  memoryOwners: Map<string, string>;
  /** Identifiers by {@link identifierKey}. */
  identifiers: Map<string, IdentifierRecord>;
  /** Idempotency records by key. */
  idempotency: Map<string, IdempotencyRecord>;
}

/** The whole store: tenant spaces by tenant id, plus the key index used to authenticate. */
export interface WarmState {
  tenants: Map<string, TenantSpace>;
  /** Every API key by its public id, across tenants (key ids are globally unique). */
  apiKeys: Map<string, ApiKeyRecord>;
}

/** An empty tenant space. */
export function createTenantSpace(): TenantSpace {
  return {
    tenant: null,
    apiKeyIds: new Set(),
    users: new Map(),
    userIdsByExternalId: new Map(),
    buckets: new Map(),
    memoryOwners: new Map(),
    identifiers: new Map(),
    idempotency: new Map(),
  };
}

/** An empty user bucket. */
export function createUserBucket(): UserBucket {
  return { memories: new Map(), identifierKeys: new Set(), idempotencyKeys: new Set() };
}

/** The map key of an identifier; a NUL separator cannot occur in a canonical value. */
export function identifierKey(namespace: IdentifierNamespace, value: string): string {
  return `${namespace}\u0000${value}`;
}

/** The user bucket, created when absent. */
export function bucketOf(space: TenantSpace, userId: string): UserBucket {
  return getOrCreate(space.buckets, userId, createUserBucket);
}
