import { z } from 'zod';
import { userInputSchema } from './common.js';

/** The signature every Memnex receipt carries (HMAC-SHA256 under the audit key `keyId`). */
export const receiptSignatureSchema = z.object({
  hash: z.string().meta({ description: 'sha256 of the canonical JSON of the other fields.' }),
  mac: z.string().meta({ description: 'HMAC-SHA256 of `hash` under the audit key.' }),
  keyId: z.string().meta({ description: 'Id of the audit key that signed.' }),
});
export type ReceiptSignature = z.infer<typeof receiptSignatureSchema>;

export const mergeInputSchema = z
  .strictObject({
    from: userInputSchema.meta({ description: 'The user merged away; becomes an alias.' }),
    into: userInputSchema.meta({ description: 'The surviving user.' }),
  })
  .meta({ description: 'Merge two records of one person.' });
export type MergeInput = z.input<typeof mergeInputSchema>;

export const mergeReceiptSchema = z
  .object({
    receiptId: z.string(),
    op: z.literal('user.merge'),
    tenantId: z.string(),
    from: z.string(),
    into: z.string(),
    moved: z.object({
      memories: z.number().int(),
      identifiers: z.number().int(),
      vectors: z.number().int(),
    }),
    superseded: z.number().int(),
    ledgerSeq: z.number().int().nullable(),
    timestamp: z.string(),
  })
  .extend(receiptSignatureSchema.shape);
export type MergeReceipt = z.infer<typeof mergeReceiptSchema>;

export const unmergeInputSchema = z.strictObject({
  user: userInputSchema.meta({ description: 'The user that was merged away.' }),
});
export type UnmergeInput = z.input<typeof unmergeInputSchema>;

export const unmergeReceiptSchema = z
  .object({
    receiptId: z.string(),
    op: z.literal('user.unmerge'),
    tenantId: z.string(),
    user: z.string(),
    from: z.string(),
    mergeSeq: z.number().int(),
    restored: z.object({
      memories: z.number().int(),
      identifiers: z.number().int(),
      vectors: z.number().int(),
    }),
    ledgerSeq: z.number().int().nullable(),
    timestamp: z.string(),
  })
  .extend(receiptSignatureSchema.shape);
export type UnmergeReceipt = z.infer<typeof unmergeReceiptSchema>;
