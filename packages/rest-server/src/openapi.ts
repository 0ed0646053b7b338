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

/** `{keyId}` path parameters and query fields as OpenAPI parameters. */
function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const object = jsonSchemaOf(schema, 'input') as {
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

function operationOf(route: AnyRoute): Record<string, unknown> {
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
    description: `${route.description}\n\nNeeds the \`${route.scope}\` scope${
      route.tenantWide ? ' and a key not pinned to one user' : ''
    }.`,
    tags: [route.tag],
    'x-memnex-scope': route.scope,
    parameters: [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
      ...headers,
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [status]: {
        description: 'Success.',
        content: { 'application/json': { schema: jsonSchemaOf(route.response, 'output') } },
      },
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
  for (const route of options.routes) {
    (paths[route.path] ??= {})[route.method] = operationOf(route);
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
      schemas: { Error: jsonSchemaOf(errorBodySchema, 'output') },
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([code, description]) => [
          `E${code}`,
          errorResponse(description),
        ]),
      ),
    },
  };
}
