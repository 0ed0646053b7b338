import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { MemnexError } from '../errors.js';
import type { ApiKeyRecord } from '../model.js';
import {
  createKeyInputSchema,
  type CreateKeyInput,
  type CreatedKey,
  type KeyReceipt,
  type KeyView,
} from '../wire/keys.js';
import type { CallContext, EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { signReceipt } from '@memnex/audit';
import { parseInput, splitTenant } from './validate.js';

/** `mx_<live|test>_k<8 hex>_<43 base64url characters>`: the only shape a raw key has. */
const RAW_KEY = /^mx_(live|test)_(k[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/u;

/** `lastUsedAt` is refreshed at most this often per key, to keep verification read-only. */
const TOUCH_INTERVAL_MS = 60_000;

/** What a verified key lets its holder do. */
export interface VerifiedKey {
  tenantId: string;
  keyId: string;
  scopes: string[];
  environment: 'live' | 'test';
  defaultChannel: ApiKeyRecord['defaultChannel'];
  pinnedUserId: string | null;
}

/** Options of `memnex.keys.create`. */
export type CreateKeyOptions = CreateKeyInput & { tenantId: string } & CallContext;

function secretHashOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether granted scopes include `needed`; `admin` includes every scope. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  return granted.includes('admin') || granted.includes(needed);
}

/**
 * Throw `FORBIDDEN` unless the caller's scopes include `needed`. A call that states no scopes
 * is an in-process call and passes.
 */
export function requireScope(call: CallContext, needed: string): void {
  if (call.callerScopes && !hasScope(call.callerScopes, needed)) {
    throw new MemnexError({
      code: 'FORBIDDEN',
      message: `this key lacks the ${needed} scope`,
      details: { needed },
    });
  }
}

function toKeyView(record: ApiKeyRecord): KeyView {
  return {
    id: record.id,
    label: record.label,
    scopes: record.scopes,
    environment: record.environment,
    defaultChannel: record.defaultChannel,
    pinnedUserId: record.pinnedUserId,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    revokedAt: record.revokedAt,
  };
}

async function keyReceipt(
  context: EngineContext,
  record: ApiKeyRecord,
  op: KeyReceipt['op'],
  actor: string,
): Promise<KeyReceipt> {
  const receiptId = uuidv7();
  const entry = await appendAudit(context, record.tenantId, {
    op,
    actor,
    subject: record.id,
    payload: { receiptId, keyId: record.id, scopes: record.scopes },
  });
  return signReceipt(
    {
      receiptId,
      op,
      tenantId: record.tenantId,
      apiKeyId: record.id,
      scopes: record.scopes,
      ledgerSeq: entry?.seq ?? null,
      timestamp: context.now().toISOString(),
    },
    context.auditKeys,
  );
}

/** Create an API key. The raw key is returned once; only a hash of its secret is stored. */
export async function createKey(
  context: EngineContext,
  options: CreateKeyOptions,
): Promise<CreatedKey> {
  const [tenantId, { actor = 'system', callerScopes: _callerScopes, ...wire }] =
    splitTenant(options);
  const input = parseInput(createKeyInputSchema, wire);
  await context.tenants.require(tenantId);
  for (let attempt = 0; ; attempt += 1) {
    const id = `k${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      tenantId,
      label: input.label,
      secretHash: secretHashOf(secret),
      scopes: [...new Set(input.scopes)],
      defaultChannel: input.defaultChannel,
      pinnedUserId: input.pinnedUserId,
      environment: input.environment,
      createdAt: context.now().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    try {
      await context.stores.warm.createApiKey({ tenantId, key: record });
    } catch (error) {
      // A key id collision (1 in 4 billion) gets a fresh id; anything else is real.
      if (MemnexError.isInstance(error) && error.code === 'CONFLICT' && attempt < 3) continue;
      throw error;
    }
    return {
      key: `mx_${input.environment}_${id}_${secret}`,
      record: toKeyView(record),
      receipt: await keyReceipt(context, record, 'key.create', actor),
    };
  }
}

/** The tenant's keys, revoked ones included, oldest first. */
export async function listKeys(
  context: EngineContext,
  options: { tenantId: string },
): Promise<KeyView[]> {
  const [tenantId] = splitTenant(options);
  return (await context.stores.warm.listApiKeys({ tenantId })).map(toKeyView);
}

/** Revoke a key of the tenant; `NOT_FOUND` when the tenant has no such key. */
export async function revokeKey(
  context: EngineContext,
  options: { tenantId: string; keyId: string } & CallContext,
): Promise<{ record: KeyView; receipt: KeyReceipt }> {
  const [tenantId, { actor = 'system', keyId }] = splitTenant(options);
  if (typeof keyId !== 'string' || !/^k[0-9a-f]{8}$/u.test(keyId)) {
    throw MemnexError.validation([
      { path: 'keyId', message: 'must look like k0123abcd', code: 'invalid_format' },
    ]);
  }
  const record = await context.stores.warm.revokeApiKey({
    tenantId,
    keyId,
    at: context.now().toISOString(),
  });
  if (!record) throw MemnexError.notFound('key', { keyId });
  context.keys.drop(keyId);
  // Other instances drop their cached copy of the tenant's keys on this event.
  await context.stores.bus
    .publish({ origin: context.instanceId, type: 'tenant.changed', tenantId })
    .catch((error: unknown) => context.logger.error('key revocation publish failed', { error }));
  return {
    record: toKeyView(record),
    receipt: await keyReceipt(context, record, 'key.revoke', actor),
  };
}

const unauthenticated = (message: string) => new MemnexError({ code: 'UNAUTHENTICATED', message });

/**
 * Check a raw key: its shape, its secret (compared in constant time), revocation and the
 * tenant's state. Every failure is `UNAUTHENTICATED` and says which, without revealing more.
 */
export async function verifyKey(
  context: EngineContext,
  options: { key: string },
): Promise<VerifiedKey> {
  const match = typeof options?.key === 'string' ? RAW_KEY.exec(options.key.trim()) : null;
  if (!match) throw unauthenticated('malformed API key');
  const [, environment, keyId, secret] = match as unknown as [string, string, string, string];
  const record = await context.keys.find(keyId);
  const expected = Buffer.from(record?.secretHash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(secretHashOf(secret), 'hex');
  const secretMatches = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!record || !secretMatches || record.environment !== environment) {
    throw unauthenticated('unknown API key');
  }
  if (record.revokedAt) throw unauthenticated('API key was revoked');
  await context.tenants.require(record.tenantId).catch(() => {
    throw unauthenticated("the key's tenant is disabled or gone");
  });
  const now = context.now();
  const lastUsed = record.lastUsedAt ? Date.parse(record.lastUsedAt) : 0;
  if (now.getTime() - lastUsed >= TOUCH_INTERVAL_MS) {
    await context.stores.warm
      .touchApiKey({ tenantId: record.tenantId, keyId, at: now.toISOString() })
      .then(() => context.keys.touched(keyId, now.toISOString()))
      .catch((error: unknown) => context.logger.warn('key last-used update failed', { error }));
  }
  return {
    tenantId: record.tenantId,
    keyId,
    scopes: record.scopes,
    environment: record.environment,
    defaultChannel: record.defaultChannel,
    pinnedUserId: record.pinnedUserId,
  };
}
