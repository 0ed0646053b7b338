import { z } from 'zod';
import { channelSchema, userIdSchema } from './common.js';
import { STATE_KEY_CHARS } from './state.js';
import { receiptSignatureSchema } from './users.js';

const STATE_SCOPE_RE = new RegExp(
  `^state:(?:read|write|schema):[${STATE_KEY_CHARS}*?]{1,512}$`,
  'u',
);

/** Scopes without a pattern. `admin` grants everything. */
export const FIXED_SCOPES = [
  'memory:read',
  'memory:write',
  'memory:forget',
  'pii:reveal',
  'audit:read',
  'admin',
] as const;

/** A scope: one of {@link FIXED_SCOPES}, or `state:<read|write|schema>:<key glob>`. */
export const scopeSchema = z
  .string()
  .max(600)
  .refine(
    (scope) => (FIXED_SCOPES as readonly string[]).includes(scope) || STATE_SCOPE_RE.test(scope),
    {
      message: `must be one of ${FIXED_SCOPES.join(', ')} or state:<read|write|schema>:<key glob>`,
    },
  );

export const createKeyInputSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  scopes: z.array(scopeSchema).min(1).max(100),
  environment: z.enum(['live', 'test']).default('live'),
  defaultChannel: channelSchema.nullable().default(null),
  pinnedUserId: userIdSchema.nullable().default(null),
});
export type CreateKeyInput = z.input<typeof createKeyInputSchema>;

/** A key as shown to its tenant: everything but the secret's hash. */
export const keyViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  scopes: z.array(z.string()),
  environment: z.enum(['live', 'test']),
  defaultChannel: channelSchema.nullable(),
  pinnedUserId: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type KeyView = z.infer<typeof keyViewSchema>;

export const keyReceiptSchema = z
  .object({
    receiptId: z.string(),
    op: z.enum(['key.create', 'key.revoke']),
    tenantId: z.string(),
    /** The API key created or revoked (`keyId` is the audit key that signed). */
    apiKeyId: z.string(),
    scopes: z.array(z.string()),
    ledgerSeq: z.number().int().nullable(),
    timestamp: z.string(),
  })
  .extend(receiptSignatureSchema.shape);
export type KeyReceipt = z.infer<typeof keyReceiptSchema>;

export const createdKeySchema = z.object({
  /** The raw key. It is shown once and never stored. */
  key: z.string(),
  record: keyViewSchema,
  receipt: keyReceiptSchema,
});
export type CreatedKey = z.infer<typeof createdKeySchema>;
