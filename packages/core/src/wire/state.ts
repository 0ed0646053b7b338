import { z } from 'zod';

/** Limits of shared state. */
export const STATE_LIMITS = {
  keyLength: 512,
  /** Largest value, as UTF-8 JSON. */
  valueBytes: 1_048_576,
  /** Largest JSON Schema, as UTF-8 JSON. */
  schemaBytes: 262_144,
  listLimitDefault: 100,
  listLimitMax: 1000,
  /** Longest time to live of a value: one year. */
  ttlSecondsMax: 31_536_000,
  /** Most keys a subscription's `since` map may name. */
  sinceKeysMax: 10_000,
  /** Most keys a `ready` frame lists; past it `versions` is cut and `truncated` is set. */
  readyVersionsMax: 10_000,
} as const;

const KEY_CHARS = String.raw`\p{L}\p{N}_:/.\-@+=~#!$%&`;
const KEY_RE = new RegExp(`^[${KEY_CHARS}]+$`, 'u');
const PATTERN_RE = new RegExp(`^[${KEY_CHARS}*?]+$`, 'u');
/** The character class of a key, for other schemas that embed keys or globs (e.g. scopes). */
export const STATE_KEY_CHARS = KEY_CHARS;

/** A state key: 1-512 letters, digits and `_ : / . - @ + = ~ # ! $ % &`, e.g. `plan:goal`. */
export const stateKeySchema = z
  .string()
  .min(1)
  .max(STATE_LIMITS.keyLength)
  .regex(KEY_RE, 'a key is letters, digits and _ : / . - @ + = ~ # ! $ % & (no spaces or globs)')
  // URLs resolve `.` and `..` away, so such keys could not be addressed over HTTP.
  .refine((key) => key !== '.' && key !== '..', 'a key cannot be "." or ".."')
  .meta({ description: 'State key, e.g. `plan:goal` or `team/alpha/tasks:3`.' });

/**
 * A key or a glob over keys: `*` matches any run of characters (`:` and `/` included), `?` one
 * character. A pattern without `*` or `?` is an exact key.
 */
export const statePatternSchema = z
  .string()
  .min(1)
  .max(STATE_LIMITS.keyLength)
  .regex(PATTERN_RE, 'a pattern is key characters plus the wildcards * and ?')
  .meta({
    description: 'A key, or a glob: `*` matches anything (`:` and `/` too), `?` one character.',
  });

interface JsonNode {
  value: unknown;
  key?: string | number;
  parent?: JsonNode;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * The first place in `value` that JSON cannot hold (a number out of range such as `1e400` or
 * NaN, `undefined`, a function, a bigint, a Date or any other class instance), or null when all of
 * it is JSON. Iterative, as a value may nest deeper than the call stack, and linear: each node
 * links to its parent, so a path is built only for the offending place.
 */
export function nonJsonAt(value: unknown): { path: Array<string | number>; found: string } | null {
  const stack: JsonNode[] = [{ value }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const item = node.value;
    let found: string | null = null;
    if (typeof item === 'number') found = Number.isFinite(item) ? null : String(item);
    else if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index += 1) {
        stack.push({ value: item[index], key: index, parent: node });
      }
    } else if (typeof item === 'object' && item !== null) {
      if (isPlainObject(item)) {
        for (const key in item) {
          stack.push({ value: (item as Record<string, unknown>)[key], key, parent: node });
        }
      } else found = `a ${item.constructor?.name ?? 'non-plain'} object`;
    } else if (item !== null && typeof item !== 'string' && typeof item !== 'boolean') {
      found = item === undefined ? 'undefined' : `a ${typeof item}`;
    }
    if (found !== null) {
      const path: Array<string | number> = [];
      for (let at: JsonNode = node; at.parent; at = at.parent) path.push(at.key!);
      return { path: path.reverse(), found };
    }
  }
  return null;
}

/** Any JSON value: finite numbers, strings, booleans, null, arrays and plain objects of them. */
export const jsonValueSchema = z
  .custom<unknown>((value) => value !== undefined, { message: 'a value is required' })
  .superRefine((value, context) => {
    const problem = nonJsonAt(value);
    if (problem) {
      context.addIssue({
        code: 'custom',
        path: problem.path,
        message: `${problem.found} is not JSON`,
      });
    }
  })
  .meta({ description: 'Any JSON value.' });

/** A stored value with its version. */
export const stateEntrySchema = z
  .object({
    key: z.string(),
    value: z.unknown().meta({ description: 'The JSON value.' }),
    version: z.number().int().min(1).meta({ description: 'Per-key version, +1 on every change.' }),
    updatedAt: z.string().meta({ description: 'Server time of the last change (ISO 8601).' }),
    updatedBy: z.string().meta({ description: 'Id of the API key (or `system`) that changed it.' }),
    expiresAt: z
      .string()
      .nullable()
      .meta({ description: 'When the value expires, if it has a TTL.' }),
  })
  .meta({ id: 'StateEntry' });
export type StateEntry = z.infer<typeof stateEntrySchema>;

/** Body of `set`. */
export const stateSetInputSchema = z.strictObject({
  value: jsonValueSchema.meta({
    description: `The new value: any JSON, at most ${STATE_LIMITS.valueBytes} bytes as UTF-8 JSON.`,
  }),
  ifVersion: z.number().int().min(0).optional().meta({
    description:
      'Compare-and-set: write only if the current version is this (0: only if the key has no value).',
  }),
  ttlSeconds: z
    .number()
    .int()
    .min(1)
    .max(STATE_LIMITS.ttlSecondsMax)
    .optional()
    .meta({ description: 'Expire the value this many seconds after the write.' }),
});
export type StateSetInput = z.input<typeof stateSetInputSchema>;

/** Options of `delete`. */
export const stateDeleteInputSchema = z.strictObject({
  ifVersion: z.coerce.number().int().min(1).optional(),
});

/** What `delete` answers. */
export const stateDeleteResultSchema = z.object({
  key: z.string(),
  deleted: z.boolean().meta({ description: 'False when the key had no value.' }),
  version: z
    .number()
    .int()
    .meta({ description: 'The version of the deletion, or the current one.' }),
});
export type StateDeleteResult = z.infer<typeof stateDeleteResultSchema>;

/** Query of `list`. */
export const stateListQuerySchema = z.strictObject({
  pattern: statePatternSchema.optional().meta({ description: 'Only keys matching this glob.' }),
  prefix: z
    .string()
    .max(STATE_LIMITS.keyLength)
    .optional()
    .meta({ description: 'Only keys starting with this.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(STATE_LIMITS.listLimitMax)
    .default(STATE_LIMITS.listLimitDefault),
  cursor: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: '`nextCursor` of the previous page.' }),
});
export type StateListQuery = z.input<typeof stateListQuerySchema>;

export const stateListResultSchema = z.object({
  entries: z.array(stateEntrySchema),
  nextCursor: z.string().nullable(),
});
export type StateListResult = z.infer<typeof stateListResultSchema>;

/** A registered JSON Schema. */
export const stateSchemaRecordSchema = z
  .object({
    pattern: z.string().meta({ description: 'The exact key or glob the schema applies to.' }),
    schema: z.unknown().meta({ description: 'The JSON Schema (draft 2020-12 or draft-07).' }),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'StateSchema' });
export type StateSchemaRecord = z.infer<typeof stateSchemaRecordSchema>;

export const stateSetSchemaInputSchema = z.strictObject({
  schema: z
    .union([z.record(z.string(), z.unknown()), z.boolean()])
    .meta({ description: 'A JSON Schema: an object, or `true` / `false`.' }),
});

export const stateSchemaListSchema = z.object({ schemas: z.array(stateSchemaRecordSchema) });

/** Kinds of change a subscription can receive. */
export const STATE_EVENT_KINDS = ['value', 'delete', 'schema'] as const;
export const stateEventKindSchema = z.enum(STATE_EVENT_KINDS);
export type StateEventKind = z.infer<typeof stateEventKindSchema>;

/**
 * A change pushed to subscribers. Per key, events arrive in version order with none missed or
 * repeated; `resync` marks an event that follows versions which could no longer be replayed.
 */
export const stateEventSchema = z
  .discriminatedUnion('event', [
    z.object({
      event: z.literal('value'),
      key: z.string(),
      value: z.unknown(),
      version: z.number().int(),
      updatedAt: z.string(),
      updatedBy: z.string(),
      expiresAt: z.string().nullable(),
      resync: z.boolean().optional(),
    }),
    z.object({
      event: z.literal('delete'),
      key: z.string(),
      version: z.number().int(),
      updatedAt: z.string(),
      updatedBy: z.string(),
      reason: z.enum(['deleted', 'expired']),
      resync: z.boolean().optional(),
    }),
    z.object({
      event: z.literal('schema'),
      /** The key or glob of the schema. */
      key: z.string(),
      action: z.enum(['set', 'delete']),
      schema: z.unknown().optional(),
      /** The tenant's schema revision after the change. */
      version: z.number().int(),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  ])
  .meta({ id: 'StateEvent' });
export type StateEvent = z.infer<typeof stateEventSchema>;

/** How a subscription starts. */
export const stateSubscribeOptionsSchema = z.strictObject({
  pattern: statePatternSchema,
  /**
   * Resume: replay every change after this version of each matching key (the current value when
   * older versions are gone). 0 replays every key's current value. Absent: only new changes.
   */
  sinceVersion: z.coerce.number().int().min(0).optional(),
  /** Resume per key; overrides `sinceVersion` for the keys it names. */
  since: z
    .record(stateKeySchema, z.number().int().min(0))
    .refine((since) => Object.keys(since).length <= STATE_LIMITS.sinceKeysMax, {
      message: `at most ${STATE_LIMITS.sinceKeysMax} keys`,
    })
    .optional(),
  /** Kinds of event wanted; all three by default. */
  events: z.array(stateEventKindSchema).min(1).max(3).optional(),
});
export type StateSubscribeOptions = z.input<typeof stateSubscribeOptionsSchema>;

/** First message of a subscription: the versions it starts from. */
export const stateReadySchema = z.object({
  /**
   * The version each matching key starts from (deleted keys included): its current version, or,
   * when resuming, the version given in `since` / `sinceVersion`, whose later changes follow.
   */
  versions: z.record(z.string(), z.number().int()),
  /** True when there were more than {@link STATE_LIMITS.readyVersionsMax} keys to list. */
  truncated: z.boolean(),
});
export type StateReady = z.infer<typeof stateReadySchema>;

/**
 * Messages of the state WebSocket (`/v1/state/ws`). The client sends `auth` (unless the upgrade
 * carried a key), then `subscribe` / `unsubscribe`; the server answers `ready`, `event`, `error`.
 */
export const stateClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), apiKey: z.string().max(512) }),
  z.strictObject({
    type: z.literal('subscribe'),
    id: z.string().min(1).max(64),
    ...stateSubscribeOptionsSchema.shape,
  }),
  z.strictObject({ type: z.literal('unsubscribe'), id: z.string().min(1).max(64) }),
]);
export type StateClientMessage = z.input<typeof stateClientMessageSchema>;

export type StateServerMessage =
  | ({ type: 'ready'; id: string } & StateReady)
  | { type: 'event'; id: string; event: StateEvent }
  | {
      type: 'error';
      /** The subscription that failed and ended; absent when the socket itself is closing. */
      id?: string;
      error: { code: string; message: string; details?: Record<string, unknown> };
    };
