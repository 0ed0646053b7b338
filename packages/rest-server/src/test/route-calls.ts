import { expect } from 'vitest';
import type { AnyRoute } from '../route.js';
import type { Fixture } from './fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by schema */

export type CallOptions = { key?: string; body?: unknown; headers?: Record<string, string> };

/** What a failed call answered: its status and the fields of its `error`. */
export interface Failure {
  status: number;
  code: string;
  message: string;
  details?: any;
}

/**
 * Calls of the routes in `routes` on the fixture `fixture()` returns (set in a `beforeAll`):
 * `ok` for a call that must succeed, `failed` for one that must not.
 */
export function routeCalls(fixture: () => Fixture, routes: readonly AnyRoute[]) {
  /** The route that serves `method path`, matched the way Hono does (a rest parameter spans `/`). */
  function routeOf(method: string, path: string): AnyRoute {
    const bare = path.split('?')[0]!;
    const route = routes.find(
      (candidate) =>
        candidate.method === method.toLowerCase() &&
        new RegExp(
          `^${candidate.path.replace(/\{(\w+)\}/gu, (_match, name: string) =>
            name === candidate.restParam ? '.+' : '[^/]+',
          )}$`,
          'u',
        ).test(bare),
    );
    if (!route) throw new Error(`no route ${method} ${path}`);
    return route;
  }

  return {
    /**
     * Call a route that must succeed: the status is the route's success status and the body
     * parses with the response schema the OpenAPI document publishes.
     */
    async ok(method: string, path: string, options: CallOptions = {}): Promise<any> {
      const response = await fixture().call(method, path, options);
      const body: unknown = await response.json();
      const route = routeOf(method, path);
      expect(response.status, `${method} ${path}: ${JSON.stringify(body)}`).toBe(
        route.status ?? 200,
      );
      const parsed = route.response.safeParse(body);
      expect(parsed.error, `${method} ${path} answers its documented schema`).toBeUndefined();
      return body;
    },

    async failed(method: string, path: string, options: CallOptions = {}): Promise<Failure> {
      const response = await fixture().call(method, path, options);
      const body = (await response.json()) as { error: Omit<Failure, 'status'> };
      return { status: response.status, ...body.error };
    },
  };
}
