import { errorBodySchema } from '@memnex/core/wire';
import type { z } from 'zod';
import { jsonSchemaOf, type JsonSchema } from './json-schema.js';
import type { AnyRoute, RouteTag } from './route.js';
import type { SystemRoute } from './system-routes.js';

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  /** The `/v1` routes. */
  routes: readonly AnyRoute[];
  /** Health, metrics and docs routes. */
  systemRoutes: readonly SystemRoute[];
  /** Version of the server, for `info.version`. */
  version: string;
}

const TAGS: Array<{ name: RouteTag | 'system'; description: string }> = [
  { name: 'memory', description: 'Write, read, search, trace, forget and export memories.' },
  { name: 'identity', description: 'Channel identifiers of people; merging their records.' },
  { name: 'keys', description: "The tenant's API keys (admin scope)." },
  { name: 'tenant', description: 'What the tenant holds.' },
  {
    name: 'state',
    description:
      'Shared state: versioned JSON values under keys, JSON Schemas by key or glob, and a stream ' +
      'of changes. Scopes are per key glob: `state:read:<glob>`, `state:write:<glob>`, ' +
      '`state:schema:<glob>`.',
  },
  { name: 'audit', description: 'The tamper-evident ledger and signed receipts.' },
  { name: 'system', description: 'Health, readiness, metrics and this description.' },
];

/** Failures every authenticated route may answer with, and why. */
const ERRORS: Record<string, string> = {
  '400': 'VALIDATION_FAILED: bad JSON, unknown fields or values; `details.issues` lists each path.',
  '401': 'UNAUTHENTICATED: the key is missing, malformed, unknown or revoked.',
  '403': 'FORBIDDEN: the key lacks the scope, or is pinned to another user.',
  '404': 'NOT_FOUND, or no such route.',
  '409': 'CONFLICT, e.g. an idempotency key reused with another body.',
  '413': 'PAYLOAD_TOO_LARGE: the body exceeds the server limit.',
  '429': 'RATE_LIMITED: the key spent its allowance; see Retry-After.',
  '500': 'INTERNAL.',
  '503': 'STORAGE_UNAVAILABLE: a store is down; nothing was changed.',
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * Named schemas of the document. zod puts the schemas it names (`.meta({id})`) and recursive ones
 * under `$defs` with `#/$defs/...` references, which inside an OpenAPI document would point at
 * its root: they move to `components/schemas` and their references follow.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** `schema` with its `$defs` moved here; `hint` names the anonymous ones. */
  hoist(schema: JsonSchema, hint: string): JsonSchema {
    const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
    if (!$defs) return rest;
    const names = new Map<string, string>();
    for (const local of Object.keys($defs)) {
      names.set(local, /^__schema\d+$/u.test(local) ? `${hint}${local.slice(8)}` : local);
    }
    const rename = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rename);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([field, child]) => {
          const local =
            field === '$ref' && typeof child === 'string' && /^#\/\$defs\/(.+)$/u.exec(child);
          return [
            field,
            local ? `#/components/schemas/${names.get(local[1]!) ?? local[1]}` : rename(child),
          ];
        }),
      );
    };
    for (const [local, definition] of Object.entries($defs)) {
      const name = names.get(local)!;
      const moved = rename(definition) as JsonSchema;
      const existing = this.schemas[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(moved)) {
        throw new Error(`two different schemas are named ${name} in the OpenAPI document`);
      }
      this.schemas[name] = moved;
    }
    return rename(rest) as JsonSchema;
  }
}

/** `{keyId}` path parameters and query fields as OpenAPI parameters. */
function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  components: SchemaComponents,
  hint: string,
): unknown[] {
  if (!schema) return [];
  const object = components.hoist(jsonSchemaOf(schema, 'input'), hint) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** What the operation says about the scope it needs. */
function scopeNote(route: AnyRoute): string {
  const pinned = route.tenantWide ? ' and a key not pinned to one user' : '';
  if (route.scopeCheckedBy !== 'engine') return `Needs the \`${route.scope}\` scope${pinned}.`;
  const [, action, target] = /^state:(\w+):(.*)$/u.exec(route.scope) ?? [];
  return (
    `Needs the \`${route.scope}\` scope${pinned}: a \`state:${action}:<glob>\` scope whose glob ` +
    `covers ${target?.startsWith('{') ? `the ${target.slice(1, -1)} of the request` : `\`${target}\``} ` +
    '(`admin` holds all), checked per request.'
  );
}

/** The success response: JSON, or server-sent events whose data follow `route.response`. */
function successOf(route: AnyRoute, components: SchemaComponents, hint: string): unknown {
  const schema = components.hoist(jsonSchemaOf(route.response, 'output'), `${hint}Response`);
  if (route.produces !== 'text/event-stream') {
    return { description: 'Success.', content: { 'application/json': { schema } } };
  }
  return {
    description:
      'A stream of server-sent events: `ready`, then one event per change; the `data` of each ' +
      'change event is the JSON of `x-memnex-event-data`.',
    content: {
      'text/event-stream': {
        schema: { type: 'string', description: 'Server-sent events (text/event-stream).' },
        'x-memnex-event-data': schema,
      },
    },
  };
}

function operationOf(route: AnyRoute, components: SchemaComponents): Record<string, unknown> {
  const hint = route.operationId.charAt(0).toUpperCase() + route.operationId.slice(1);
  const status = String(route.status ?? 200);
  const headers = (route.headers ?? []).map((header) => ({
    name: header.name,
    in: 'header',
    required: false,
    description: header.description,
    schema: { type: 'string' },
  }));
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description}\n\n${scopeNote(route)}`,
    tags: [route.tag],
    'x-memnex-scope': route.scope,
    parameters: [
      ...parametersOf(route.params, 'path', components, `${hint}Params`),
      ...parametersOf(route.query, 'query', components, `${hint}Query`),
      ...headers,
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: components.hoist(jsonSchemaOf(route.body, 'input'), `${hint}Body`),
              },
            },
          },
        }
      : {}),
    responses: {
      [status]: successOf(route, components, hint),
      ...Object.fromEntries(
        Object.keys(ERRORS)
          .filter((code) => code !== '413' || route.body)
          .map((code) => [code, { $ref: `#/components/responses/E${code}` }]),
      ),
    },
  };
}

function systemOperationOf(route: SystemRoute): Record<string, unknown> {
  const content = { [route.contentType]: route.schema ? { schema: route.schema } : {} };
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: ['system'],
    security: [],
    parameters: [...route.path.matchAll(/\{(\w+)\}/gu)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    responses: {
      '200': { description: 'Success.', content },
      ...Object.fromEntries(
        Object.entries(route.otherResponses ?? {}).map(([code, description]) => [
          code,
          { description, content },
        ]),
      ),
    },
  };
}

/**
 * The OpenAPI 3.1 document of the server, generated from the routes' zod schemas (the same ones
 * that validate requests), so the description cannot drift from what is served.
 */
export function buildOpenApiDocument(options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components = new SchemaComponents();
  for (const route of options.routes) {
    (paths[route.path] ??= {})[route.method] = operationOf(route, components);
  }
  for (const route of options.systemRoutes) {
    (paths[route.path] ??= {})[route.method] = systemOperationOf(route);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Memnex API',
      version: options.version,
      description:
        'Permanent, cross-channel memory of the people AI agents talk to. Authenticate with ' +
        '`Authorization: Bearer <key>` (or `x-api-key`). Every failure answers ' +
        '`{"error": {"code", "message", "details"}}` with a stable code.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: TAGS,
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A Memnex API key, mx_live_...' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: { ...components.schemas, Error: jsonSchemaOf(errorBodySchema, 'output') },
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([code, description]) => [
          `E${code}`,
          errorResponse(description),
        ]),
      ),
    },
  };
}
