import { compileGlob, MemnexError } from '@memnex/core';
import {
  STATE_LIMITS,
  stateDeleteInputSchema,
  stateDeleteResultSchema,
  stateEntrySchema,
  stateEventKindSchema,
  stateEventSchema,
  stateKeySchema,
  stateListQuerySchema,
  stateListResultSchema,
  statePatternSchema,
  stateSchemaListSchema,
  stateSchemaRecordSchema,
  stateSetInputSchema,
  stateSetSchemaInputSchema,
  stateSubscribeOptionsSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { stateCallOf } from '../caller.js';
import { defineRoute } from '../route.js';
import { openStateEventStream } from '../state-events.js';

const SLASHES =
  'Send it percent-encoded (`encodeURIComponent`); a `/` inside it may also be sent as it is.';

const keyParams = z.strictObject({
  key: stateKeySchema.meta({
    description: `The state key, e.g. \`plan:goal\` or \`team/alpha:tasks\`. ${SLASHES}`,
  }),
});

const patternParams = z.strictObject({
  pattern: statePatternSchema.meta({
    description:
      'The exact key or glob of the schema (`*` matches anything, `?` one character). ' +
      `${SLASHES} A \`?\` must be sent as \`%3F\`.`,
  }),
});

const notFound = (message: string, details: Record<string, unknown>) =>
  new MemnexError({ code: 'NOT_FOUND', message, details });

export const stateValuesList = defineRoute({
  method: 'get',
  path: '/v1/state/values',
  operationId: 'stateValuesList',
  summary: 'List state values',
  description:
    'Values in key order, filtered by a glob (`pattern`) and/or a `prefix`, paged with ' +
    '`nextCursor`. The scope is checked against `pattern`, else `<prefix>*`, else `*`.',
  tag: 'state',
  scope: 'state:read:{pattern}',
  scopeCheckedBy: 'engine',
  query: stateListQuerySchema,
  response: stateListResultSchema,
  handle: ({ query, caller, memnex }) => memnex.state.list({ ...query, ...stateCallOf(caller) }),
});

export const stateValuesGet = defineRoute({
  method: 'get',
  path: '/v1/state/values/{key}',
  operationId: 'stateValuesGet',
  summary: 'Read a state value',
  description: 'The value of a key with its version; `404 NOT_FOUND` when the key has none.',
  tag: 'state',
  scope: 'state:read:{key}',
  scopeCheckedBy: 'engine',
  restParam: 'key',
  params: keyParams,
  response: stateEntrySchema,
  async handle({ params, caller, memnex }) {
    const entry = await memnex.state.get({ key: params.key, ...stateCallOf(caller) });
    if (!entry) {
      throw notFound(`state key ${JSON.stringify(params.key)} has no value`, { key: params.key });
    }
    return entry;
  },
});

export const stateValuesPut = defineRoute({
  method: 'put',
  path: '/v1/state/values/{key}',
  operationId: 'stateValuesPut',
  summary: 'Write a state value',
  description:
    'Write a JSON value (its version goes up by one), validated against the most specific schema ' +
    'matching the key: a violation is `400 VALIDATION_FAILED` whose `details.issues` give each ' +
    'JSON pointer (`path`). With `ifVersion` it is a compare-and-set: `409 CONFLICT` with ' +
    '`details.currentVersion` when the key moved on (`ifVersion: 0`: only if it has no value). ' +
    `A value over ${STATE_LIMITS.valueBytes} bytes of JSON is \`413 PAYLOAD_TOO_LARGE\`.`,
  tag: 'state',
  scope: 'state:write:{key}',
  scopeCheckedBy: 'engine',
  restParam: 'key',
  params: keyParams,
  body: stateSetInputSchema,
  response: stateEntrySchema,
  handle: ({ params, body, caller, memnex }) =>
    memnex.state.set({ key: params.key, ...body, ...stateCallOf(caller) }),
});

export const stateValuesDelete = defineRoute({
  method: 'delete',
  path: '/v1/state/values/{key}',
  operationId: 'stateValuesDelete',
  summary: 'Delete a state value',
  description:
    'Delete the value (its version goes up by one). `deleted: false`, with the current version, ' +
    'when the key had no value. With `ifVersion`, `409 CONFLICT` (`details.currentVersion`) ' +
    'unless the key is at that version.',
  tag: 'state',
  scope: 'state:write:{key}',
  scopeCheckedBy: 'engine',
  restParam: 'key',
  params: keyParams,
  query: z.strictObject({
    ifVersion: stateDeleteInputSchema.shape.ifVersion.meta({
      description: 'Delete only if the key is at this version.',
    }),
  }),
  response: stateDeleteResultSchema,
  handle: ({ params, query, caller, memnex }) =>
    memnex.state.delete({ key: params.key, ...query, ...stateCallOf(caller) }),
});

export const stateSchemasList = defineRoute({
  method: 'get',
  path: '/v1/state/schemas',
  operationId: 'stateSchemasList',
  summary: 'List state schemas',
  description:
    'Every JSON Schema of the tenant with the key or glob it applies to. Needs `state:read:*` ' +
    'or `state:schema:*`.',
  tag: 'state',
  scope: 'state:read:*',
  scopeCheckedBy: 'engine',
  response: stateSchemaListSchema,
  handle: async ({ caller, memnex }) => ({
    schemas: await memnex.state.listSchemas(stateCallOf(caller)),
  }),
});

export const stateSchemasGet = defineRoute({
  method: 'get',
  path: '/v1/state/schemas/{pattern}',
  operationId: 'stateSchemasGet',
  summary: 'Read a state schema',
  description:
    'The schema registered for exactly this key or glob (not the ones that merely match it); ' +
    '`404 NOT_FOUND` when there is none. Needs `state:read` or `state:schema` on the pattern.',
  tag: 'state',
  scope: 'state:read:{pattern}',
  scopeCheckedBy: 'engine',
  restParam: 'pattern',
  params: patternParams,
  response: stateSchemaRecordSchema,
  async handle({ params, caller, memnex }) {
    const record = await memnex.state.getSchema({
      pattern: params.pattern,
      ...stateCallOf(caller),
    });
    if (!record) {
      throw notFound(`no schema is registered for ${JSON.stringify(params.pattern)}`, {
        pattern: params.pattern,
      });
    }
    return record;
  },
});

export const stateSchemasPut = defineRoute({
  method: 'put',
  path: '/v1/state/schemas/{pattern}',
  operationId: 'stateSchemasPut',
  summary: 'Register a state schema',
  description:
    'Register (or replace) the JSON Schema (draft 2020-12 or draft-07) that values of matching ' +
    'keys must follow; the most specific pattern matching a key applies. An invalid schema is ' +
    '`400 VALIDATION_FAILED` with JSON pointers; values already stored are not re-checked.',
  tag: 'state',
  scope: 'state:schema:{pattern}',
  scopeCheckedBy: 'engine',
  restParam: 'pattern',
  params: patternParams,
  body: stateSetSchemaInputSchema,
  response: stateSchemaRecordSchema,
  handle: ({ params, body, caller, memnex }) =>
    memnex.state.setSchema({ pattern: params.pattern, ...body, ...stateCallOf(caller) }),
});

export const stateSchemasDelete = defineRoute({
  method: 'delete',
  path: '/v1/state/schemas/{pattern}',
  operationId: 'stateSchemasDelete',
  summary: 'Remove a state schema',
  description:
    'Remove the schema of exactly this key or glob. Like deleting a value, removing a schema ' +
    'that does not exist succeeds with `deleted: false` (200, not 404).',
  tag: 'state',
  scope: 'state:schema:{pattern}',
  scopeCheckedBy: 'engine',
  restParam: 'pattern',
  params: patternParams,
  response: z.object({
    pattern: z.string(),
    deleted: z.boolean().meta({ description: 'False when no schema was registered for it.' }),
  }),
  handle: ({ params, caller, memnex }) =>
    memnex.state.deleteSchema({ pattern: params.pattern, ...stateCallOf(caller) }),
});

/** `since` as a query parameter: a JSON object of key → version. */
const sinceQuery = z
  .string()
  .transform((text, context): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.issues.push({
        code: 'custom',
        input: text,
        message: 'must be a JSON object of key → version, e.g. {"plan:goal":3}',
      });
      return z.NEVER;
    }
  })
  .pipe(stateSubscribeOptionsSchema.shape.since.unwrap())
  .meta({
    description:
      'Resume per key: a JSON object of key → last version seen (URL-encoded); overrides ' +
      '`sinceVersion` for the keys it names.',
  });

/** `events` as a query parameter: kinds separated by commas. */
const eventsQuery = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((kind) => kind.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(stateEventKindSchema).min(1))
  .meta({ description: 'Kinds of event wanted, comma-separated: `value,delete,schema` (all).' });

const eventsQuerySchema = z.strictObject({
  pattern: statePatternSchema.meta({
    description: 'The key, or a glob over keys (`*` and `?`), to follow.',
  }),
  sinceVersion: stateSubscribeOptionsSchema.shape.sinceVersion.meta({
    description:
      'Resume: first replay every change after this version of each matching key (0: every ' +
      "key's current value). Absent: only new changes.",
  }),
  since: sinceQuery.optional(),
  events: eventsQuery.optional(),
});

/** `Last-Event-ID` of a reconnecting client: the last version it received. */
function lastEventIdOf(header: string | undefined): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (!/^\d{1,15}$/u.test(text)) {
    throw MemnexError.validation([
      {
        path: 'Last-Event-ID',
        message: 'must be the version of the last event received',
        code: 'invalid_type',
      },
    ]);
  }
  return Number(text);
}

export const stateEvents = defineRoute({
  method: 'get',
  path: '/v1/state/events',
  operationId: 'stateEvents',
  summary: 'Follow state changes (server-sent events)',
  description:
    'A `text/event-stream` of the changes of a key or glob, in version order per key. First ' +
    '`event: ready` with `{versions, truncated}` (the version each key starts from), then one ' +
    'event per change: `event: value`, `delete` or `schema`, whose `data` is the JSON of a ' +
    'StateEvent; a `: ping` comment every 15 s. For an exact key, `value` and `delete` events ' +
    'carry `id: <version>` and a reconnect with `Last-Event-ID` resumes after it. ' +
    '`event: error` with `{error: {code, message}}` ends the stream: `UNAUTHENTICATED` when the ' +
    'key is revoked, `RATE_LIMITED` when the client reads too slowly (it reconnects and resumes ' +
    'with `Last-Event-ID`, `sinceVersion` or `since`).',
  tag: 'state',
  scope: 'state:read:{pattern}',
  scopeCheckedBy: 'engine',
  query: eventsQuerySchema,
  headers: [
    {
      name: 'Last-Event-ID',
      description:
        'For an exact key, the version of the last event received: replaces `sinceVersion`.',
    },
  ],
  produces: 'text/event-stream',
  response: stateEventSchema,
  handle({ query, caller, memnex, header }) {
    const exact = compileGlob(query.pattern).exact;
    const lastEventId = exact ? lastEventIdOf(header('last-event-id')) : undefined;
    // A reconnect's Last-Event-ID is newer than the resume point of the URL it repeats.
    const sinceVersion = lastEventId ?? query.sinceVersion;
    const since = lastEventId === undefined ? query.since : undefined;
    return openStateEventStream({
      memnex,
      withIds: exact,
      call: {
        pattern: query.pattern,
        ...(sinceVersion === undefined ? {} : { sinceVersion }),
        ...(since === undefined ? {} : { since }),
        ...(query.events === undefined ? {} : { events: query.events }),
        ...stateCallOf(caller),
      },
    });
  },
});

export const STATE_ROUTES = [
  stateValuesList,
  stateValuesGet,
  stateValuesPut,
  stateValuesDelete,
  stateSchemasList,
  stateSchemasGet,
  stateSchemasPut,
  stateSchemasDelete,
  stateEvents,
];
