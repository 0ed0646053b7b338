import { MemnexError } from '@memnex/core';
import {
  auditEntriesSchema,
  auditListInputSchema,
  chainVerificationSchema,
  createdKeySchema,
  createKeyInputSchema,
  keyReceiptSchema,
  keyViewSchema,
  receiptInputSchema,
  receiptVerificationSchema,
  tenantStatsSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { callOf } from './person.js';

export const keysCreate = defineRoute({
  method: 'post',
  path: '/v1/keys',
  operationId: 'keysCreate',
  summary: 'Create an API key',
  description:
    'The raw key is in the response once and never again; only a hash of it is stored. ' +
    'Scopes: memory:read, memory:write, memory:forget, pii:reveal, audit:read, admin, ' +
    'state:<read|write|schema>:<key glob>.',
  tag: 'keys',
  scope: 'admin',
  tenantWide: true,
  body: createKeyInputSchema,
  response: createdKeySchema,
  status: 201,
  handle: ({ body, caller, memnex }) => memnex.keys.create({ ...body, ...callOf(caller) }),
});

export const keysList = defineRoute({
  method: 'get',
  path: '/v1/keys',
  operationId: 'keysList',
  summary: "List the tenant's API keys",
  description: 'Every key, revoked ones included, oldest first; never the secrets.',
  tag: 'keys',
  scope: 'admin',
  tenantWide: true,
  response: z.object({ keys: z.array(keyViewSchema) }),
  handle: async ({ caller, memnex }) => ({
    keys: await memnex.keys.list({ tenantId: caller.tenantId }),
  }),
});

export const keysRevoke = defineRoute({
  method: 'delete',
  path: '/v1/keys/{keyId}',
  operationId: 'keysRevoke',
  summary: 'Revoke an API key',
  description: 'The key stops working on every instance; signed receipt.',
  tag: 'keys',
  scope: 'admin',
  tenantWide: true,
  params: z.strictObject({ keyId: z.string().meta({ description: 'Key id, `k<8 hex>`.' }) }),
  response: z.object({ record: keyViewSchema, receipt: keyReceiptSchema }),
  handle: ({ params, caller, memnex }) =>
    memnex.keys.revoke({ keyId: params.keyId, ...callOf(caller) }),
});

export const tenantStats = defineRoute({
  method: 'get',
  path: '/v1/tenant/stats',
  operationId: 'tenantStats',
  summary: 'What the tenant holds',
  description:
    'People and current memories, by kind, type and channel, with the oldest and newest.',
  tag: 'tenant',
  scope: 'memory:read',
  tenantWide: true,
  response: tenantStatsSchema,
  handle: ({ caller, memnex }) => memnex.tenants.stats({ tenantId: caller.tenantId }),
});

/** Query strings carry text: numbers are coerced, then checked by the wire schema. */
const auditQuerySchema = z.strictObject({
  afterSeq: z.coerce.number().pipe(auditListInputSchema.shape.afterSeq.unwrap()).optional(),
  limit: z.coerce.number().pipe(auditListInputSchema.shape.limit.unwrap()).optional(),
  op: auditListInputSchema.shape.op,
});

export const auditEntries = defineRoute({
  method: 'get',
  path: '/v1/audit/entries',
  operationId: 'auditEntries',
  summary: 'Read the audit ledger',
  description: 'Entries in seq order after `afterSeq`; payloads hold ids, counts and hashes only.',
  tag: 'audit',
  scope: 'audit:read',
  tenantWide: true,
  query: auditQuerySchema,
  response: auditEntriesSchema,
  handle: async ({ query, caller, memnex }) => ({
    entries: await memnex.audit.list({ tenantId: caller.tenantId, ...query }),
  }),
});

export const auditVerify = defineRoute({
  method: 'get',
  path: '/v1/audit/verify',
  operationId: 'auditVerify',
  summary: "Verify the tenant's whole ledger",
  description: 'Checks every hash, MAC and link; a failure names the first bad entry.',
  tag: 'audit',
  scope: 'audit:read',
  tenantWide: true,
  response: chainVerificationSchema,
  handle: ({ caller, memnex }) => memnex.audit.verify({ tenantId: caller.tenantId }),
});

export const auditVerifyReceipt = defineRoute({
  method: 'post',
  path: '/v1/audit/receipts/verify',
  operationId: 'auditVerifyReceipt',
  summary: 'Verify a receipt',
  description:
    'Checks the hash and signature of a forget, write, merge or key receipt of this tenant; ' +
    "another tenant's receipt is `FORBIDDEN`.",
  tag: 'audit',
  scope: 'audit:read',
  body: receiptInputSchema,
  response: receiptVerificationSchema,
  async handle({ body, caller, memnex }) {
    // The audit keys are the deployment's: without this check any tenant could test receipts
    // (and so the existence of forgets, merges and keys) of another.
    if (typeof body.tenantId === 'string' && body.tenantId !== caller.tenantId) {
      throw new MemnexError({ code: 'FORBIDDEN', message: "this receipt is another tenant's" });
    }
    return memnex.audit.verifyReceipt(body);
  },
});

export const ADMIN_ROUTES = [
  keysCreate,
  keysList,
  keysRevoke,
  tenantStats,
  auditEntries,
  auditVerify,
  auditVerifyReceipt,
];
