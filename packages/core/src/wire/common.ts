import { z } from 'zod';

/** Limits shared by every surface. */
export const LIMITS = {
  userIdLength: 256,
  factsPerWrite: 50,
  messagesPerWrite: 200,
  factTextLength: 4096,
  messageTextLength: 16_384,
  entitiesPerFact: 50,
  entityLength: 256,
  queryLength: 2048,
  draftLength: 50_000,
  tokenBudgetMax: 32_000,
  tokenBudgetDefault: 2000,
  searchLimitMax: 50,
  searchLimitDefault: 5,
  sessionIdLength: 256,
  reasonLength: 256,
  idempotencyKeyLength: 256,
  metadataBytes: 16_384,
  forgetIdsMax: 1000,
  /** Characters of a raw-text write given as one string (a transcript, an export, an email). */
  rawTextLength: 65_536,
  /** Messages of a raw-text write, given as a list or split from the string. */
  rawMessagesPerWrite: 200,
  /** Facts extraction may add to one write; the rest are rejected with `PAYLOAD_TOO_LARGE`. */
  extractedFactsPerWrite: 100,
} as const;

/** Channels a person can reach an agent on. */
export const CHANNELS = ['voice', 'whatsapp', 'sms', 'email', 'web', 'app'] as const;
export const channelSchema = z.enum(CHANNELS).meta({ description: 'Channel of the conversation.' });
export type Channel = z.infer<typeof channelSchema>;

/** Context formats `read` can produce, one per channel kind. */
export const FORMATS = ['voice', 'whatsapp', 'web', 'sms', 'app'] as const;
export const formatSchema = z.enum(FORMATS).meta({ description: 'Shape of the returned context.' });
export type ContextFormat = z.infer<typeof formatSchema>;

/** Fact types an agent writes. */
export const FACT_TYPES = ['intent', 'preference', 'issue', 'resolution', 'profile'] as const;
export const factTypeSchema = z.enum(FACT_TYPES);
export type FactType = z.infer<typeof factTypeSchema>;

/** Every memory type: the fact types plus `event` for messages and unclassified text. */
export const MEMORY_TYPES = [...FACT_TYPES, 'event'] as const;
export const memoryTypeSchema = z.enum(MEMORY_TYPES);
export type MemoryType = z.infer<typeof memoryTypeSchema>;

export const MEMORY_KINDS = ['fact', 'message'] as const;
export const memoryKindSchema = z.enum(MEMORY_KINDS);
export type MemoryKind = z.infer<typeof memoryKindSchema>;

/** Trust levels, lowest first. */
export const TRUST_LEVELS = [
  'user_content',
  'agent_action',
  'verified_external',
  'system',
] as const;
export const trustSchema = z.enum(TRUST_LEVELS);
export type TrustLevel = z.infer<typeof trustSchema>;

export const MEMORY_STATUSES = ['active', 'superseded', 'resolved', 'expired'] as const;
export const memoryStatusSchema = z.enum(MEMORY_STATUSES);
export type MemoryStatus = z.infer<typeof memoryStatusSchema>;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** External, tenant-scoped user id: an opaque string of 1-256 characters, no control characters. */
export const userIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.userIdLength, `must be at most ${LIMITS.userIdLength} characters`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');

/** A tenant id, as issued by Memnex (`t_<16 hex>`) or chosen by an in-process caller. */
export const tenantIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "_" and "-"');

/** A channel identifier of a person, e.g. `{channel: 'whatsapp', id: 'wa:919241063955'}`. */
export const identifierSchema = z.strictObject({
  channel: channelSchema,
  id: z
    .string()
    .min(1, 'must not be empty')
    .max(LIMITS.userIdLength)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
});
export type Identifier = z.infer<typeof identifierSchema>;

/** Who a memory operation is about: an external user id, or a channel identifier. */
export const userRefSchema = z.union([
  z.strictObject({ userId: userIdSchema }),
  z.strictObject({ identifier: identifierSchema }),
]);
export type UserRef = z.infer<typeof userRefSchema>;

/** A user reference, or a bare user id string for in-process convenience. */
export const userInputSchema = z.union([userIdSchema, userRefSchema]);
export type UserInput = z.infer<typeof userInputSchema>;

/** An entity in `type:value` form, e.g. `order:4521`; the type is lower-cased on write. */
export const entitySchema = z
  .string()
  .max(LIMITS.entityLength)
  .regex(/^[^:\s][^:]*:.+$/, 'must look like "type:value", e.g. "order:4521"');

/** An ISO-8601 timestamp or a Date. */
export const timestampSchema = z.union([z.iso.datetime({ offset: true }), z.date()]);

/** Arbitrary JSON metadata kept with a memory, at most 16 KiB serialised. */
export const metadataSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (value) => JSON.stringify(value).length <= LIMITS.metadataBytes,
    `must serialise to at most ${LIMITS.metadataBytes} bytes`,
  );

/** Where a write came from. */
export const sourceSchema = z.strictObject({
  channel: channelSchema.optional(),
  agentId: z.string().min(1).max(128).optional(),
});
export type SourceInput = z.infer<typeof sourceSchema>;
