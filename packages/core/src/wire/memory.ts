import { z } from 'zod';
import { receiptSignatureSchema } from './users.js';
import {
  LIMITS,
  channelSchema,
  entitySchema,
  factTypeSchema,
  formatSchema,
  memoryKindSchema,
  memoryStatusSchema,
  memoryTypeSchema,
  metadataSchema,
  sourceSchema,
  timestampSchema,
  trustSchema,
  userInputSchema,
} from './common.js';

const durationSchema = z
  .number()
  .int()
  .positive()
  .max(10 * 365 * 24 * 3600)
  .meta({ description: 'Time to live in seconds.' });

/** One structured fact an agent writes. */
export const factInputSchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(LIMITS.factTextLength),
  type: factTypeSchema,
  entities: z.array(entitySchema).max(LIMITS.entitiesPerFact).default([]),
  confidence: z.number().min(0).max(1).default(0.9),
  slot: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .meta({ description: 'Conflict slot, e.g. "profile:city"; defaults to type + first entity.' }),
  supersedes: z.array(z.uuid()).max(50).optional(),
  observedAt: timestampSchema.optional(),
  ttl: durationSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type FactInput = z.input<typeof factInputSchema>;

/** One conversation message, stored verbatim as a memory of kind `message`. */
export const messageInputSchema = z.strictObject({
  id: z.string().min(1).max(256).optional().meta({ description: 'Message id, for provenance.' }),
  speaker: z.string().min(1).max(128).optional(),
  text: z.string().trim().min(1, 'must not be empty').max(LIMITS.messageTextLength),
  observedAt: timestampSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type MessageInput = z.input<typeof messageInputSchema>;

/** One message of a raw-text write given as a list (a chat export, a web conversation). */
export const rawMessageSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .meta({ description: 'Message id; derived from the content when absent.' }),
  speaker: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta({ description: 'Who said it, e.g. "Priya", "agent", "customer".' }),
  text: z.string().trim().min(1, 'must not be empty').max(LIMITS.messageTextLength),
  observedAt: timestampSchema.optional(),
});
export type RawMessageInput = z.input<typeof rawMessageSchema>;

/**
 * Conversation text for Memnex to extract facts from: one string (free text, a voice transcript,
 * a pasted WhatsApp export) or a list of messages.
 */
export const rawTextSchema = z
  .union([
    z.string().trim().min(1, 'must not be empty').max(LIMITS.rawTextLength),
    z.array(rawMessageSchema).min(1).max(LIMITS.rawMessagesPerWrite),
  ])
  .meta({
    description:
      'Raw conversation text: a string (free text, a voice transcript, a WhatsApp export) or a ' +
      'list of messages. It is cleaned for its channel, stored as messages, and the facts found ' +
      'in it are written like given facts.',
  });
export type RawTextInput = z.input<typeof rawTextSchema>;

export const writeInputSchema = z
  .strictObject({
    user: userInputSchema,
    facts: z.array(factInputSchema).max(LIMITS.factsPerWrite).default([]),
    messages: z.array(messageInputSchema).max(LIMITS.messagesPerWrite).default([]),
    rawText: rawTextSchema.optional(),
    sessionId: z.string().min(1).max(LIMITS.sessionIdLength).optional(),
    trust: trustSchema.default('user_content'),
    source: sourceSchema.optional(),
    idempotencyKey: z.string().min(1).max(LIMITS.idempotencyKeyLength).optional(),
  })
  .refine(
    (input) => input.facts.length + input.messages.length > 0 || input.rawText !== undefined,
    { message: 'pass at least one fact or message, or raw text', path: ['facts'] },
  );
export type WriteInput = z.input<typeof writeInputSchema>;
export type WriteRequest = z.output<typeof writeInputSchema>;

const itemRefSchema = z.object({
  /** Which list the input came from. */
  kind: memoryKindSchema,
  /** Index of the item in that input list. */
  index: z.number().int().nonnegative(),
});

/** The extractors a raw-text write can be served by. */
export const EXTRACTORS = ['rules', 'llm'] as const;

/** What extraction made of a write's `rawText`. */
export const extractionSchema = z.object({
  extractor: z.enum(EXTRACTORS).meta({
    description: 'Which extractor produced the facts: `rules` (built in) or `llm` (a model).',
  }),
  facts: z.number().int().meta({ description: 'Facts the extractor produced.' }),
  messages: z.number().int().meta({ description: 'Messages the raw text was split into.' }),
  firstFactIndex: z.number().int().meta({
    description: 'Index of the first extracted fact in the result lists; given facts come first.',
  }),
  firstMessageIndex: z.number().int().meta({
    description:
      'Index of the first raw-text message in the result lists; given messages come first.',
  }),
  fallback: z
    .object({
      from: z.literal('llm'),
      code: z.string().meta({
        description:
          'Why: TIMEOUT, HTTP_ERROR, NETWORK_ERROR, INVALID_JSON, SCHEMA_MISMATCH, ' +
          'UNKNOWN_MESSAGE or FAILED.',
      }),
      reason: z.string(),
    })
    .nullable()
    .meta({ description: 'Set when the model extractor failed and the rules were used instead.' }),
});
export type Extraction = z.infer<typeof extractionSchema>;

export const writeResultSchema = z.object({
  written: z.array(itemRefSchema.extend({ id: z.string(), type: memoryTypeSchema })),
  deduplicated: z.array(itemRefSchema.extend({ id: z.string(), type: memoryTypeSchema })),
  superseded: z.array(z.object({ id: z.string(), by: z.string() })),
  resolved: z.array(z.object({ id: z.string(), by: z.string() })),
  rejected: z.array(itemRefSchema.extend({ reason: z.string(), code: z.string() })),
  version: z.number().int(),
  /** Signed record of what this write changed; identical when an idempotent request is replayed. */
  receipt: z
    .object({
      op: z.literal('memory.write'),
      tenantId: z.string(),
      userId: z.string(),
      version: z.number().int(),
      /** sha256 over the request and every id the write touched. */
      changes: z.string(),
      timestamp: z.string(),
    })
    .extend(receiptSignatureSchema.shape),
  /** Seq of the write's audit entry; null on an idempotent replay or when nothing changed. */
  ledgerSeq: z.number().int().nullable(),
  /** How the facts of `rawText` were found; null when the write had no raw text. */
  extraction: extractionSchema.nullable(),
});
export type WriteResult = z.infer<typeof writeResultSchema>;

export const readInputSchema = z.strictObject({
  user: userInputSchema,
  tokenBudget: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.tokenBudgetMax)
    .default(LIMITS.tokenBudgetDefault),
  format: formatSchema.optional(),
  query: z.string().trim().min(1).max(LIMITS.queryLength).optional(),
  types: z.array(memoryTypeSchema).min(1).optional(),
  asOf: timestampSchema.optional(),
});
export type ReadInput = z.input<typeof readInputSchema>;

/** A memory as the surfaces return it. */
export const memoryViewSchema = z.object({
  id: z.string(),
  kind: memoryKindSchema,
  type: memoryTypeSchema,
  text: z.string(),
  entities: z.array(z.string()),
  slot: z.string().nullable(),
  confidence: z.number(),
  salience: z.number(),
  trust: trustSchema,
  status: memoryStatusSchema,
  source: z.object({
    channel: channelSchema.nullable(),
    agentId: z.string().nullable(),
    sessionId: z.string().nullable(),
    messageIds: z.array(z.string()),
  }),
  observedAt: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  supersededBy: z.string().nullable(),
  expiresAt: z.string().nullable(),
  piiFields: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MemoryView = z.infer<typeof memoryViewSchema>;

export const readResultSchema = z.object({
  context: z.string(),
  format: formatSchema,
  items: z.array(memoryViewSchema),
  tokens: z.number().int(),
  tokenBudget: z.number().int(),
  omitted: z.number().int().meta({ description: 'Current memories left out by the budget.' }),
  version: z.number().int(),
});
export type ReadResult = z.infer<typeof readResultSchema>;

export const searchInputSchema = z.strictObject({
  user: userInputSchema,
  query: z.string().trim().min(1, 'must not be empty').max(LIMITS.queryLength),
  limit: z.number().int().min(1).max(LIMITS.searchLimitMax).default(LIMITS.searchLimitDefault),
  types: z.array(memoryTypeSchema).min(1).optional(),
  kinds: z.array(memoryKindSchema).min(1).optional(),
  since: timestampSchema.optional(),
  until: timestampSchema.optional(),
  includeHistory: z.boolean().default(false),
});
export type SearchInput = z.input<typeof searchInputSchema>;

export const searchHitSchema = memoryViewSchema.extend({
  score: z.number(),
  lexicalRank: z.number().int().nullable(),
  vectorRank: z.number().int().nullable(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z.object({
  hits: z.array(searchHitSchema),
  version: z.number().int(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const traceInputSchema = z.strictObject({
  user: userInputSchema,
  draft: z.string().trim().min(1, 'must not be empty').max(LIMITS.draftLength),
  threshold: z.number().min(0).max(1).optional(),
});
export type TraceInput = z.input<typeof traceInputSchema>;

export const traceClaimSchema = z.object({
  text: z.string(),
  supported: z.boolean(),
  userSpecific: z.boolean(),
  score: z.number(),
  support: z.array(
    z.object({ id: z.string(), text: z.string(), type: memoryTypeSchema, score: z.number() }),
  ),
});
export type TraceClaim = z.infer<typeof traceClaimSchema>;

export const traceResultSchema = z.object({
  claims: z.array(traceClaimSchema),
  supported: z.array(z.string()),
  unsupported: z.array(z.string()),
  suspectedHallucinations: z.array(z.string()),
  coverage: z.number(),
});
export type TraceResult = z.infer<typeof traceResultSchema>;

export const forgetInputSchema = z.strictObject({
  user: userInputSchema,
  reason: z.string().trim().min(1).max(LIMITS.reasonLength).default('gdpr_request'),
  memoryIds: z.array(z.uuid()).min(1).max(LIMITS.forgetIdsMax).optional(),
});
export type ForgetInput = z.input<typeof forgetInputSchema>;

export const forgetReceiptSchema = z
  .object({
    receiptId: z.string(),
    tenantId: z.string(),
    user: z.string(),
    reason: z.string(),
    scope: z.enum(['user', 'memories']),
    deleted: z.object({
      memories: z.number().int(),
      identifiers: z.number().int(),
      vectors: z.number().int(),
      stateKeys: z.number().int(),
      cacheEntries: z.number().int(),
      idempotencyRecords: z.number().int(),
    }),
    ledgerSeq: z.number().int().nullable(),
    timestamp: z.string(),
  })
  .extend(receiptSignatureSchema.shape);
export type ForgetReceipt = z.infer<typeof forgetReceiptSchema>;

export const exportInputSchema = z.strictObject({ user: userInputSchema });
export type ExportInput = z.input<typeof exportInputSchema>;

export const exportDocumentSchema = z.object({
  format: z.literal('memnex.export.v1'),
  exportedAt: z.string(),
  tenantId: z.string(),
  user: z.object({ userId: z.string(), createdAt: z.string() }).nullable(),
  identifiers: z.array(z.object({ channel: channelSchema, id: z.string(), linkedAt: z.string() })),
  memories: z.array(memoryViewSchema),
});
export type ExportDocument = z.infer<typeof exportDocumentSchema>;

export const importInputSchema = z.strictObject({
  document: exportDocumentSchema,
  userId: z.string().min(1).max(256).optional(),
});
export type ImportInput = z.input<typeof importInputSchema>;

export const timelineInputSchema = z.strictObject({
  user: userInputSchema,
  since: timestampSchema.optional(),
  until: timestampSchema.optional(),
  types: z.array(memoryTypeSchema).min(1).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type TimelineInput = z.input<typeof timelineInputSchema>;

export const TIMELINE_EVENTS = ['created', 'superseded', 'resolved', 'expired'] as const;
export const timelineEntrySchema = z.object({
  at: z.string(),
  event: z.enum(TIMELINE_EVENTS),
  memory: memoryViewSchema,
  by: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const timelineResultSchema = z.object({ entries: z.array(timelineEntrySchema) });
export type TimelineResult = z.infer<typeof timelineResultSchema>;

export const revealInputSchema = z.strictObject({
  user: userInputSchema,
  memoryIds: z.array(z.uuid()).min(1).max(LIMITS.forgetIdsMax),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(LIMITS.reasonLength)
    .meta({ description: 'Why the PII is needed; kept in the audit ledger.' }),
});
export type RevealInput = z.input<typeof revealInputSchema>;

export const revealResultSchema = z.object({
  memories: z.array(
    z.object({
      id: z.string(),
      text: z.string().meta({ description: 'The text with its encrypted PII decrypted.' }),
      revealed: z.number().int(),
    }),
  ),
  revealed: z.number().int(),
  failed: z.number().int().meta({ description: 'Masks that did not authenticate.' }),
  ledgerSeq: z.number().int().nullable(),
});
export type RevealResult = z.infer<typeof revealResultSchema>;
export type RevealedMemory = RevealResult['memories'][number];
