import { z } from 'zod';

/** A sealed, hash-chained ledger entry. Payloads hold ids, counts and hashes, never PII. */
export const auditEntrySchema = z.object({
  tenantId: z.string(),
  seq: z.number().int().meta({ description: 'Gapless per tenant, starting at 1.' }),
  ts: z.string(),
  op: z.string().meta({ description: 'What happened, e.g. "memory.write", "user.forget".' }),
  actor: z.string().meta({ description: '`key:<keyId>` or `system`.' }),
  subject: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
  mac: z.string(),
  keyId: z.string().meta({ description: 'Id of the audit key that sealed the entry.' }),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

/** Which entries `audit.list` returns. */
export const auditListInputSchema = z.strictObject({
  afterSeq: z.number().int().min(0).default(0).meta({ description: 'Entries after this seq.' }),
  limit: z.number().int().min(1).max(1000).default(100),
  op: z.string().min(1).max(64).optional().meta({ description: 'Only entries of this op.' }),
});
export type AuditListInput = z.input<typeof auditListInputSchema>;

export const auditEntriesSchema = z.object({ entries: z.array(auditEntrySchema) });

/** What can be wrong with a ledger (the `ChainProblem` of `@memnex/audit`). */
export const CHAIN_PROBLEMS = [
  'modified',
  'removed',
  'inserted',
  'reordered',
  'bad_mac',
  'unknown_key',
  'wrong_tenant',
  'bad_genesis',
] as const;

/** The verdict on a tenant's ledger; a failure names the first bad entry. */
export const chainVerificationSchema = z.union([
  z.object({
    ok: z.literal(true),
    count: z.number().int(),
    head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  }),
  z.object({
    ok: z.literal(false),
    count: z.number().int(),
    problem: z.enum(CHAIN_PROBLEMS),
    seq: z.number().int(),
    index: z.number().int(),
    message: z.string(),
  }),
]);
export type ChainVerificationView = z.infer<typeof chainVerificationSchema>;

/** A receipt to check: any signed Memnex receipt (forget, write, merge, key). */
export const receiptInputSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A receipt exactly as Memnex returned it.' });

export const receiptVerificationSchema = z.union([
  z.object({ ok: z.literal(true), keyId: z.string() }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['hash_mismatch', 'bad_mac', 'unknown_key', 'malformed']),
  }),
]);
export type ReceiptVerificationView = z.infer<typeof receiptVerificationSchema>;
