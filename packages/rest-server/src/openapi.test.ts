import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ROUTES } from './routes/index.js';
import { createFixture, type Fixture } from './test/fixture.js';

type Operation = {
  'x-memnex-scope'?: string;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

let fixture: Fixture;
let document: Document;

beforeAll(async () => {
  fixture = await createFixture();
  document = fixture.rest.openapi as Document;
});

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

function documentedOperations(): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.has(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** Whether a zod schema is an object that refuses unknown keys (`z.strictObject`). */
function isStrictObject(schema: z.ZodType): boolean {
  const def = schema._zod.def as { type: string; catchall?: z.ZodType };
  return def.type === 'object' && def.catchall?._zod.def.type === 'never';
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(document.openapi).toBe('3.1.0');
  });

  it('fails validation when a field is broken, so the check above can fail', async () => {
    const broken = structuredClone(document);
    const write = broken.paths['/v1/memory/write']!.post!.responses['200'] as Record<
      string,
      unknown
    >;
    delete write.description;
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
    expect(result.errors).toBeDefined();
  });

  it('is what /openapi.json serves, without a key', async () => {
    const response = await fixture.call('GET', '/openapi.json', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/u);
    expect(await response.json()).toEqual(document);
  });

  it('describes exactly the routes the app serves', () => {
    // The web console (`/console` and under: its pages and the session API they call) is not
    // part of the API that keys reach: docs/07-console.md describes it.
    const served = fixture.rest.app.routes
      .filter((route) => route.method !== 'ALL' && !/^\/console(?:\/|$)/u.test(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/gu, '{$1}')}`);
    expect([...new Set(served)].sort()).toEqual(documentedOperations());
    // Every route of the API is in both lists, so neither can be empty or partial.
    for (const route of ROUTES) {
      expect(served).toContain(`${route.method.toUpperCase()} ${route.path}`);
    }
  });

  it('gives every /v1 operation its scope and the 401 and 403 answers', () => {
    const v1 = documentedOperations().filter((operation) => operation.includes(' /v1/'));
    expect(v1).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const operation = document.paths[route.path]![route.method]!;
      expect(operation['x-memnex-scope'], route.path).toBe(route.scope);
      expect(operation.responses['401'], route.path).toBeDefined();
      expect(operation.responses['403'], route.path).toBeDefined();
      expect(operation.responses[String(route.status ?? 200)], route.path).toBeDefined();
    }
  });

  it('leaves system routes open and without a scope', () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
      const operation = document.paths[path]!.get! as Operation & { security?: unknown[] };
      expect(operation.security, path).toEqual([]);
      expect(operation['x-memnex-scope'], path).toBeUndefined();
    }
  });

  it('refuses unknown body fields where the zod schema is strict', () => {
    const write = document.paths['/v1/memory/write']!.post!.requestBody!.content['application/json']
      .schema as {
      additionalProperties?: unknown;
      properties: Record<string, { items?: { additionalProperties?: unknown } }>;
    };
    expect(write.additionalProperties).toBe(false);
    expect(Object.keys(write.properties)).not.toContain('actor');
    expect(Object.keys(write.properties)).not.toContain('tenantId');
    expect(write.properties.facts!.items!.additionalProperties).toBe(false);
    expect(write.properties.messages!.items!.additionalProperties).toBe(false);
    expect(Object.keys(write.properties)).toContain('rawText');

    const bodies = ROUTES.filter((route) => route.body !== undefined);
    expect(bodies.length).toBeGreaterThan(10);
    for (const route of bodies) {
      const schema =
        document.paths[route.path]![route.method]!.requestBody!.content['application/json'].schema;
      if (isStrictObject(route.body as z.ZodType)) {
        expect(schema.additionalProperties, route.path).toBe(false);
      }
    }
  });
});
