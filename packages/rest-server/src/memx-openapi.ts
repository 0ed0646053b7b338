/** Tag of the memX-compatible operations in the OpenAPI document. */
export const MEMX_TAG = {
  name: 'memx',
  description:
    'memX\'s wire protocol, for memX clients and SDKs: `x-api-key` (or Bearer), `{"detail"}` ' +
    'errors. Outside `/v1`; the values are the same shared state as `/v1/state`. Live changes: ' +
    'WebSocket `GET /subscribe/{key}?event=value|schema`.',
};

const detail = {
  type: 'object',
  properties: { detail: { type: 'string' } },
  required: ['detail'],
};
const validationDetail = {
  type: 'object',
  properties: {
    detail: { type: 'string', description: "memX's message." },
    errors: {
      type: 'array',
      description: 'Every problem, each with its path (a JSON pointer into the value for schemas).',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string' },
          message: { type: 'string' },
          code: { type: 'string' },
        },
        required: ['path', 'message', 'code'],
      },
    },
  },
  required: ['detail'],
};
const missingQuery = {
  type: 'object',
  properties: { detail: { type: 'array', items: { type: 'object' } } },
};

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const answer = (description: string, schema: Record<string, unknown> = detail) => ({
  description,
  content: json(schema),
});

const AUTH_ANSWERS = {
  '401': answer('`Missing API key`.'),
  '403': answer('`Invalid or inactive API key`, or `READ|WRITE not permitted for key ...`.'),
  '429': answer('The key spent its allowance; see Retry-After.'),
};

const keyQuery = {
  name: 'key',
  in: 'query',
  required: true,
  description: 'The key (FastAPI-style `422` when absent).',
  schema: { type: 'string' },
};

const bodyOf = (properties: Record<string, unknown>) => ({
  required: true,
  content: json({ type: 'object', properties, required: Object.keys(properties) }),
});

function operation(
  operationId: string,
  summary: string,
  scope: string,
  rest: Record<string, unknown>,
): Record<string, unknown> {
  return {
    operationId,
    summary,
    description: `${summary}, as memX does. Needs a \`${scope}\` scope whose glob covers the key.`,
    tags: [MEMX_TAG.name],
    'x-memnex-scope': scope,
    security: [{ apiKey: [] }, { bearer: [] }],
    ...rest,
  };
}

/** The memX-compatible operations, by path, for the OpenAPI document. */
export const MEMX_PATHS: Record<string, Record<string, unknown>> = {
  '/set': {
    post: operation('memxSet', 'Write a value', 'state:write:{key}', {
      requestBody: bodyOf({ key: { type: 'string' }, value: {} }),
      responses: {
        '200': answer('Written (`updated` is always true; `version` is a Memnex extension).', {
          type: 'object',
          properties: {
            ok: { type: 'boolean' },
            updated: { type: 'boolean' },
            version: { type: 'integer' },
          },
          required: ['ok', 'updated'],
        }),
        '400': answer('Bad body, bad key, or the value fails its schema.', validationDetail),
        ...AUTH_ANSWERS,
        '413': answer('The body or the value is too large.'),
      },
    }),
  },
  '/get': {
    get: operation('memxGet', 'Read a value', 'state:read:{key}', {
      parameters: [keyQuery],
      responses: {
        '200': answer('`{value, ts}` (seconds; `version` is a Memnex extension), or `null`.', {
          type: ['object', 'null'],
          properties: { value: {}, ts: { type: 'number' }, version: { type: 'integer' } },
        }),
        '400': answer('Not a valid key.', validationDetail),
        ...AUTH_ANSWERS,
        '422': answer('No `key` query parameter.', missingQuery),
      },
    }),
  },
  '/schema': {
    post: operation('memxSetSchema', 'Register a JSON Schema for a key', 'state:schema:{key}', {
      requestBody: bodyOf({ key: { type: 'string' }, schema: {} }),
      responses: {
        '200': answer('Registered.', { type: 'object', properties: { ok: { type: 'boolean' } } }),
        '400': answer('`Invalid schema: ...`, or a bad body or key.', validationDetail),
        ...AUTH_ANSWERS,
        '413': answer('The body or the schema is too large.'),
      },
    }),
    get: operation('memxGetSchema', 'The schema of a key', 'state:read:{key}', {
      parameters: [keyQuery],
      responses: {
        '200': answer('The schema.', {
          type: 'object',
          properties: { key: { type: 'string' }, schema: {} },
        }),
        ...AUTH_ANSWERS,
        '404': answer('`Schema not found`.'),
        '422': answer('No `key` query parameter.', missingQuery),
      },
    }),
    delete: operation('memxDeleteSchema', 'Remove the schema of a key', 'state:schema:{key}', {
      parameters: [keyQuery],
      responses: {
        '200': answer('Removed.', { type: 'object', properties: { ok: { type: 'boolean' } } }),
        ...AUTH_ANSWERS,
        '404': answer('`Schema not found`.'),
        '422': answer('No `key` query parameter.', missingQuery),
      },
    }),
  },
};

/** The OpenAPI document with the memX-compatible operations under their own tag. */
export function withMemxOperations(document: Record<string, unknown>): Record<string, unknown> {
  const paths = (document.paths ?? {}) as Record<string, unknown>;
  const tags = (document.tags ?? []) as unknown[];
  return { ...document, tags: [...tags, MEMX_TAG], paths: { ...paths, ...MEMX_PATHS } };
}
