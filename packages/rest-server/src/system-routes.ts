/** A route outside `/v1`: health, metrics, the API description and its docs page. */
export interface SystemRoute {
  method: 'get';
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** Content type of a success. */
  contentType: string;
  /** JSON Schema of a JSON success. */
  schema?: Record<string, unknown>;
  /** Other statuses it answers with, and why. */
  otherResponses?: Record<string, string>;
}

const healthSchema = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    stores: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { ok: { type: 'boolean' } },
        required: ['ok'],
      },
    },
  },
  required: ['ok'],
};

/** Every route outside `/v1`, unauthenticated. */
export const SYSTEM_ROUTES: readonly SystemRoute[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'Liveness',
    description: 'The process is up and serving HTTP. Touches no store.',
    contentType: 'application/json',
    schema: { type: 'object', properties: { ok: { const: true } }, required: ['ok'] },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    summary: 'Readiness',
    description:
      'Every store answers a probe (within 2 s each). 503 with the failing stores while one is ' +
      'down or while the server drains for shutdown.',
    contentType: 'application/json',
    schema: healthSchema,
    otherResponses: { '503': 'A store is down, or the server is shutting down.' },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Request counts and latency by route and status, store call latency, hot-cache hit ratio ' +
      'and process metrics, in the Prometheus text format.',
    contentType: 'text/plain',
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API description',
    description: 'OpenAPI 3.1, generated from the same zod schemas that validate requests.',
    contentType: 'application/json',
    schema: { type: 'object' },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'Interactive API docs',
    description: 'Swagger UI for this API; every asset is served by this server, none by a CDN.',
    contentType: 'text/html',
  },
  {
    method: 'get',
    path: '/docs/assets/{file}',
    operationId: 'docsAsset',
    summary: 'An asset of the docs page',
    description: 'Scripts and styles of the docs page.',
    contentType: 'application/octet-stream',
    otherResponses: { '404': 'No such asset.' },
  },
];
