import { beforeAll, describe, expect, it } from 'vitest';
import { STATE_ROUTES } from './routes/state.js';
import { createFixture, keyIdOf, type Fixture } from './test/fixture.js';
import { routeCalls } from './test/route-calls.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by schema */

let fixture: Fixture;
/** State keys of the first tenant, by what they may do. */
const keys = {} as {
  /** `state:read:plan:*` and `state:write:plan:*`. */
  plan: string;
  /** `state:read:*` only. */
  readAll: string;
  /** `state:read:plan:*`, `state:schema:plan:*`. */
  planSchema: string;
  /** `state:write:team/*`, `state:read:team/*`. */
  team: string;
};

beforeAll(async () => {
  fixture = await createFixture();
  const key = async (scopes: string[]) =>
    (
      await fixture.memnex.keys.create({
        tenantId: fixture.tenantId,
        label: scopes.join(' '),
        scopes,
      })
    ).key;
  keys.plan = await key(['state:read:plan:*', 'state:write:plan:*']);
  keys.readAll = await key(['state:read:*']);
  keys.planSchema = await key(['state:read:plan:*', 'state:schema:plan:*']);
  keys.team = await key(['state:read:team/*', 'state:write:team/*']);
});

const { ok, failed } = routeCalls(() => fixture, STATE_ROUTES);

const value = (key: string) => `/v1/state/values/${encodeURIComponent(key)}`;
const schema = (pattern: string) => `/v1/state/schemas/${encodeURIComponent(pattern)}`;

describe('state values', () => {
  it('writes, reads, lists and deletes a value, its version going up', async () => {
    const written = await ok('PUT', value('plan:goal'), {
      key: keys.plan,
      body: { value: { text: 'ship v1', done: false } },
    });
    expect(written).toMatchObject({
      key: 'plan:goal',
      value: { text: 'ship v1', done: false },
      version: 1,
      updatedBy: keyIdOf(keys.plan),
      expiresAt: null,
    });
    const second = await ok('PUT', value('plan:goal'), {
      key: keys.plan,
      body: { value: { text: 'ship v1', done: true }, ifVersion: 1 },
    });
    expect(second.version).toBe(2);

    const read = await ok('GET', value('plan:goal'), { key: keys.readAll });
    expect(read).toEqual(second);

    const listed = await ok('GET', '/v1/state/values?pattern=plan:*', { key: keys.plan });
    expect(listed).toEqual({ entries: [second], nextCursor: null });

    const deleted = await ok('DELETE', value('plan:goal'), { key: keys.plan });
    expect(deleted).toEqual({ key: 'plan:goal', deleted: true, version: 3 });
    const again = await ok('DELETE', value('plan:goal'), { key: keys.plan });
    expect(again).toEqual({ key: 'plan:goal', deleted: false, version: 3 });
    expect(await failed('GET', value('plan:goal'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      details: { key: 'plan:goal' },
    });
  });

  it('takes keys with / sent encoded or as they are, decoding them once', async () => {
    const key = 'team/alpha/tasks:1';
    await ok('PUT', `/v1/state/values/team%2Falpha%2Ftasks%3A1`, {
      key: keys.team,
      body: { value: 'a' },
    });
    const raw = await ok('GET', '/v1/state/values/team/alpha/tasks:1', { key: keys.team });
    expect(raw).toMatchObject({ key, value: 'a', version: 1 });
    await ok('PUT', '/v1/state/values/team/alpha/tasks:1', {
      key: keys.team,
      body: { value: 'b', ifVersion: 1 },
    });
    expect((await ok('GET', value(key), { key: keys.team })).value).toBe('b');

    // `%` is a key character: `%2541` is the key `a%41`, not `aA`.
    await ok('PUT', value('team/a%41'), { key: keys.team, body: { value: 1 } });
    expect((await ok('GET', '/v1/state/values/team%2Fa%2541')).key).toBe('team/a%41');
    await expect(failed('GET', value('team/aA'))).resolves.toMatchObject({ status: 404 });

    const deleted = await ok('DELETE', '/v1/state/values/team/alpha/tasks:1?ifVersion=2', {
      key: keys.team,
    });
    expect(deleted).toEqual({ key, deleted: true, version: 3 });
  });

  it('lists by glob and prefix, page by page', async () => {
    for (const name of ['a', 'b', 'c', 'd']) {
      await ok('PUT', value(`plan:list:${name}`), { key: keys.plan, body: { value: name } });
    }
    await ok('PUT', value('plan:lists'), { key: keys.plan, body: { value: 'not a page' } });

    const first = await ok('GET', '/v1/state/values?prefix=plan:list:&limit=3', { key: keys.plan });
    expect(first.entries.map((entry: any) => entry.key)).toEqual([
      'plan:list:a',
      'plan:list:b',
      'plan:list:c',
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await ok(
      'GET',
      `/v1/state/values?prefix=plan:list:&limit=3&cursor=${encodeURIComponent(first.nextCursor)}`,
      { key: keys.plan },
    );
    expect(rest).toMatchObject({ entries: [{ key: 'plan:list:d' }], nextCursor: null });

    // `?` matches one character; in a query string it may be sent as it is or as %3F.
    for (const query of ['pattern=plan:list:?', 'pattern=plan%3Alist%3A%3F']) {
      const listed = await ok('GET', `/v1/state/values?${query}`, { key: keys.plan });
      expect(listed.entries, query).toHaveLength(4);
    }
  });

  it('sets a time to live', async () => {
    const written = await ok('PUT', value('plan:ttl'), {
      key: keys.plan,
      body: { value: 1, ttlSeconds: 60 },
    });
    expect(Date.parse(written.expiresAt) - Date.parse(written.updatedAt)).toBe(60_000);
  });

  it('answers 409 CONFLICT with the current version when a compare-and-set misses', async () => {
    await ok('PUT', value('plan:cas'), { key: keys.plan, body: { value: 1 } });
    await ok('PUT', value('plan:cas'), { key: keys.plan, body: { value: 2 } });
    expect(
      await failed('PUT', value('plan:cas'), { key: keys.plan, body: { value: 3, ifVersion: 1 } }),
    ).toMatchObject({ status: 409, code: 'CONFLICT', details: { currentVersion: 2 } });
    // ifVersion 0: only if the key has no value.
    expect(
      await failed('PUT', value('plan:cas'), { key: keys.plan, body: { value: 3, ifVersion: 0 } }),
    ).toMatchObject({ status: 409, details: { currentVersion: 2 } });
    expect(
      await failed('DELETE', `${value('plan:cas')}?ifVersion=1`, { key: keys.plan }),
    ).toMatchObject({ status: 409, code: 'CONFLICT', details: { currentVersion: 2 } });
    expect((await ok('GET', value('plan:cas'))).value).toBe(2);
    await ok('PUT', value('plan:new'), { key: keys.plan, body: { value: 1, ifVersion: 0 } });
  });

  it('answers 400 VALIDATION_FAILED, never 500, to bad input', async () => {
    const put = (body: string) =>
      failed('PUT', value('plan:bad'), {
        key: keys.plan,
        body,
        headers: { 'content-type': 'application/json' },
      });
    const cases: Array<[string, string | undefined]> = [
      ['{"value": ', ''],
      ['', ''],
      ['{}', 'value'],
      ['{"value": 1e400}', 'value'],
      ['{"value": {"deep": [1, -1e400]}}', 'value.deep.1'],
      ['[1, 2]', ''],
      ['"text"', ''],
      ['null', ''],
      ['42', ''],
      ['{"value": 1, "extra": true}', ''],
      ['{"value": 1, "ifVersion": -1}', 'ifVersion'],
      ['{"value": 1, "ifVersion": 1.5}', 'ifVersion'],
      ['{"value": 1, "ttlSeconds": 0}', 'ttlSeconds'],
      ['{"value": 1, "ttlSeconds": "60"}', 'ttlSeconds'],
      // No store can keep U+0000 (Postgres's JSON cannot).
      ['{"value": {"text": "a\\u0000b"}}', 'value'],
    ];
    for (const [body, path] of cases) {
      const answer = await put(body);
      expect(answer, body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      if (path) {
        expect(
          answer.details.issues.map((issue: { path: string }) => issue.path),
          body,
        ).toContain(path);
      }
    }
    expect(await failed('GET', value('plan:bad'))).toMatchObject({ status: 404 });

    const bad: Array<[string, string]> = [
      ['GET', '/v1/state/values/has%20space'],
      ['GET', `/v1/state/values/${'k'.repeat(513)}`],
      ['GET', '/v1/state/values/plan%3A*'],
      ['DELETE', `${value('plan:x')}?ifVersion=abc`],
      ['DELETE', `${value('plan:x')}?ifVersion=0`],
      ['DELETE', `${value('plan:x')}?other=1`],
      ['GET', '/v1/state/values?limit=0'],
      ['GET', '/v1/state/values?limit=5000'],
      ['GET', '/v1/state/values?pattern=has%20space'],
      ['GET', '/v1/state/values?cursor=%25%25%25'],
      ['GET', '/v1/state/values?unknown=1'],
    ];
    for (const [method, path] of bad) {
      expect(await failed(method, path), `${method} ${path}`).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // URLs resolve `.` and `..` segments (even as %2E) away: such keys never arrive.
    expect(await failed('GET', '/v1/state/values/%2E%2E')).toMatchObject({
      status: 404,
      message: 'no route GET /v1/state/',
    });
  });

  it('answers 413 for a value over 1 MiB, at the body limit or in the engine', async () => {
    const big = 'x'.repeat(1_048_576);
    expect(
      await failed('PUT', value('plan:big'), { key: keys.plan, body: { value: big } }),
    ).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });

    const roomy = await createFixture({ maxBodyBytes: 4 * 1_048_576 });
    const response = await roomy.call('PUT', value('plan:big'), { body: { value: big } });
    const body = (await response.json()) as { error: { code: string; details: unknown } };
    expect(response.status).toBe(413);
    expect(body.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { limit: 1_048_576, bytes: 1_048_578 },
    });
    const fits = await roomy.call('PUT', value('plan:big'), {
      body: { value: big.slice(0, 1_048_576 - 2) },
    });
    expect(fits.status).toBe(200);
  });
});

describe('state scopes', () => {
  it('answers 403 when the key lacks the scope for the key of the request', async () => {
    await ok('PUT', value('team/x'), { key: keys.team, body: { value: 1 } });
    const forbidden: Array<[string, string, string, unknown?]> = [
      // A glob scope that does not cover the key.
      [keys.plan, 'GET', value('team/x')],
      [keys.plan, 'PUT', value('team/x'), { value: 2 }],
      [keys.plan, 'DELETE', value('team/x')],
      [keys.team, 'GET', value('plan:goal')],
      // Read but not write.
      [keys.readAll, 'PUT', value('plan:goal'), { value: 1 }],
      [keys.readAll, 'DELETE', value('plan:goal')],
      // Memory scopes only.
      [fixture.keys.writer, 'GET', value('plan:goal')],
      [fixture.keys.writer, 'GET', '/v1/state/values'],
      // Lists need the scope on the whole glob or prefix.
      [keys.plan, 'GET', '/v1/state/values'],
      [keys.plan, 'GET', '/v1/state/values?pattern=*'],
      [keys.plan, 'GET', '/v1/state/values?prefix=pla'],
      [keys.plan, 'GET', '/v1/state/values?pattern=plan*'],
      // Schemas need `state:schema`.
      [keys.plan, 'PUT', schema('plan:*'), { schema: true }],
      [keys.readAll, 'DELETE', schema('plan:*')],
      [keys.planSchema, 'PUT', schema('team/*'), { schema: true }],
      [keys.planSchema, 'GET', '/v1/state/schemas'],
    ];
    for (const [key, method, path, body] of forbidden) {
      const answer = await failed(method, path, { key, ...(body ? { body } : {}) });
      expect(answer, `${method} ${path}`).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(answer.details.needed, `${method} ${path}`).toMatch(/^state:(read|write|schema):/u);
    }
    expect((await ok('GET', value('team/x'), { key: keys.readAll })).value).toBe(1);
    await ok('GET', '/v1/state/values?prefix=plan:', { key: keys.plan });
  });

  it('answers 401 without a key', async () => {
    const response = await fixture.call('GET', value('plan:goal'), { key: null });
    expect(response.status).toBe(401);
  });

  it("keeps tenants apart: another tenant's key never sees a key of the same name", async () => {
    await ok('PUT', value('shared:name'), { body: { value: 'tenant A' } });
    expect(await failed('GET', value('shared:name'), { key: fixture.keys.other })).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    const listed = await ok('GET', '/v1/state/values?pattern=shared:*', {
      key: fixture.keys.other,
    });
    expect(listed.entries).toEqual([]);

    const theirs = await ok('PUT', value('shared:name'), {
      key: fixture.keys.other,
      body: { value: 'tenant B' },
    });
    expect(theirs.version).toBe(1);
    expect(
      await failed('PUT', value('shared:name'), {
        key: fixture.keys.other,
        body: { value: 'x', ifVersion: 2 },
      }),
    ).toMatchObject({ status: 409, details: { currentVersion: 1 } });
    expect(await ok('GET', value('shared:name'))).toMatchObject({ value: 'tenant A' });
    expect(await ok('DELETE', value('shared:name'), { key: fixture.keys.other })).toMatchObject({
      deleted: true,
      version: 2,
    });
    expect(await ok('GET', value('shared:name'))).toMatchObject({ value: 'tenant A', version: 1 });
  });
});

describe('state schemas', () => {
  const taskSchema = {
    type: 'object',
    properties: {
      title: { type: 'string', minLength: 1 },
      priority: { type: 'integer', minimum: 1, maximum: 5 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['title', 'priority'],
    additionalProperties: false,
  };

  it('registers a schema by glob and refuses values that break it, with JSON pointers', async () => {
    const record = await ok('PUT', schema('plan:tasks:*'), {
      key: keys.planSchema,
      body: { schema: taskSchema },
    });
    expect(record).toMatchObject({
      pattern: 'plan:tasks:*',
      schema: taskSchema,
      updatedBy: keyIdOf(keys.planSchema),
    });
    expect(await ok('GET', schema('plan:tasks:*'), { key: keys.planSchema })).toEqual(record);
    // The glob can also be sent with `*` as it is.
    expect(await ok('GET', '/v1/state/schemas/plan:tasks:*', { key: keys.plan })).toEqual(record);
    const listed = await ok('GET', '/v1/state/schemas', { key: keys.readAll });
    expect(listed.schemas).toContainEqual(record);

    await ok('PUT', value('plan:tasks:1'), {
      key: keys.plan,
      body: { value: { title: 'Write docs', priority: 2 } },
    });
    const answer = await failed('PUT', value('plan:tasks:2'), {
      key: keys.plan,
      body: { value: { title: '', priority: 9, tags: ['ok', 3], owner: 'ana' } },
    });
    expect(answer).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const paths = answer.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['/title', '/priority', '/tags/1']));
    expect(answer.details.issues).toContainEqual(
      expect.objectContaining({ path: '', code: 'additionalProperties' }),
    );
    const missing = await failed('PUT', value('plan:tasks:3'), {
      key: keys.plan,
      body: { value: { tags: [] } },
    });
    expect(missing.details.issues.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining(['/title', '/priority']),
    );
    expect(await failed('GET', value('plan:tasks:2'))).toMatchObject({ status: 404 });
  });

  it('takes patterns with ? sent as %3F, and 404s a pattern without a schema', async () => {
    await ok('PUT', schema('plan:slot:?'), { key: keys.planSchema, body: { schema: true } });
    expect(await ok('GET', '/v1/state/schemas/plan:slot:%3F')).toMatchObject({
      pattern: 'plan:slot:?',
    });
    expect(await failed('GET', schema('plan:none:*'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      details: { pattern: 'plan:none:*' },
    });
    // An exact-key schema and the glob that matches it are different schemas.
    expect(await failed('GET', schema('plan:slot:1'))).toMatchObject({ status: 404 });
  });

  it('removes a schema, and answers deleted: false when there was none', async () => {
    await ok('PUT', schema('plan:strict'), {
      key: keys.planSchema,
      body: { schema: { type: 'string' } },
    });
    expect(
      await failed('PUT', value('plan:strict'), { key: keys.plan, body: { value: 1 } }),
    ).toMatchObject({ status: 400, details: { issues: [{ path: '' }] } });
    expect(await ok('DELETE', schema('plan:strict'), { key: keys.planSchema })).toEqual({
      pattern: 'plan:strict',
      deleted: true,
    });
    expect(await ok('DELETE', schema('plan:strict'), { key: keys.planSchema })).toEqual({
      pattern: 'plan:strict',
      deleted: false,
    });
    await ok('PUT', value('plan:strict'), { key: keys.plan, body: { value: 1 } });
  });

  it('refuses invalid schemas and bodies with 400', async () => {
    const cases: unknown[] = [
      { schema: { type: 'nope' } },
      { schema: { properties: { a: { minimum: 'x' } } } },
      { schema: 'string' },
      { schema: [] },
      {},
      { schema: true, extra: 1 },
    ];
    for (const body of cases) {
      expect(
        await failed('PUT', schema('plan:invalid'), { key: keys.planSchema, body }),
        JSON.stringify(body),
      ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const invalid = await failed('PUT', schema('plan:invalid'), {
      body: { schema: { type: 'object', properties: { a: { type: 12 } } } },
    });
    expect(invalid.details.issues[0].path).toMatch(/^\/properties\/a\/type/u);
    expect(
      await failed('PUT', '/v1/state/schemas/bad%20pattern', { body: { schema: true } }),
    ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await failed('GET', schema('plan:invalid'))).toMatchObject({ status: 404 });
  });

  it("keeps one tenant's schemas from another's values", async () => {
    await ok('PUT', schema('iso:*'), { body: { schema: { type: 'string' } } });
    await ok('PUT', value('iso:1'), { key: fixture.keys.other, body: { value: 1 } });
    expect(await failed('GET', schema('iso:*'), { key: fixture.keys.other })).toMatchObject({
      status: 404,
    });
    expect((await ok('GET', '/v1/state/schemas', { key: fixture.keys.other })).schemas).toEqual([]);
  });
});
