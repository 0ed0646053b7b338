import type { Memnex } from '@memnex/core';
import type { z } from 'zod';
import type { Caller } from './caller.js';

/** Tags that group routes in the OpenAPI document and the docs page. */
export type RouteTag = 'memory' | 'identity' | 'keys' | 'audit' | 'tenant' | 'state';

/** What a route handler receives, parsed and checked. */
export interface RouteRequest<Body, Query, Params> {
  body: Body;
  query: Query;
  params: Params;
  caller: Caller;
  memnex: Memnex;
  /** Request headers, lower-cased names. */
  header(name: string): string | undefined;
}

/**
 * A route of the REST API: its schemas (which both validate requests and generate the OpenAPI
 * document), the scope it needs and what it does.
 */
export interface RouteSpec<
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Params extends z.ZodType | undefined = z.ZodType | undefined,
  Output extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path, e.g. `/v1/keys/{keyId}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: RouteTag;
  /**
   * Scope the key must hold (`admin` holds all). With `scopeCheckedBy: 'engine'` it names the
   * scope after a parameter of the request, e.g. `state:read:{key}`, for the OpenAPI document.
   */
  scope: string;
  /**
   * `engine`: the scope depends on the request (the state key or glob it names), so the app does
   * not check `scope`; the handler passes the caller's scopes and the engine checks them.
   */
  scopeCheckedBy?: 'engine';
  /**
   * The path parameter that takes the rest of the path, `/` included (a state key such as
   * `team/alpha:tasks`), whether the client sends its slashes as they are or as `%2F`.
   */
  restParam?: string;
  /**
   * What a success answers: JSON (the default), or server-sent events that the handler streams as
   * a `Response` of its own; `response` is then the schema of each event's data.
   */
  produces?: 'application/json' | 'text/event-stream';
  /** Whole-tenant routes refuse keys pinned to one user. */
  tenantWide?: boolean;
  body?: Body;
  query?: Query;
  params?: Params;
  /** Headers the route reads, for the OpenAPI document. */
  headers?: Array<{ name: string; description: string }>;
  response: Output;
  /** Success status; 200 by default. */
  status?: 200 | 201;
  handle(
    request: RouteRequest<
      Body extends z.ZodType ? z.output<Body> : undefined,
      Query extends z.ZodType ? z.output<Query> : undefined,
      Params extends z.ZodType ? z.output<Params> : undefined
    >,
  ): Promise<z.input<Output> | Response>;
}

/** A route of any schemas, as the app and the OpenAPI generator take them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

/**
 * The Hono pattern of a route: `{keyId}` → `:keyId`, and the {@link RouteSpec.restParam} →
 * `:key{.+}`, which spans segments. Hono decodes each parameter once (`%2F` → `/`).
 */
export function honoPathOf(route: Pick<AnyRoute, 'path' | 'restParam'>): string {
  return route.path.replace(/\{(\w+)\}/gu, (_match, name: string) =>
    name === route.restParam ? `:${name}{.+}` : `:${name}`,
  );
}

/** Whether the app checks the route's scope itself (false when the engine checks it per key). */
export function appChecksScope(route: Pick<AnyRoute, 'scopeCheckedBy'>): boolean {
  return route.scopeCheckedBy !== 'engine';
}

/** Declare a route; only checks its types. */
export function defineRoute<
  Body extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Params extends z.ZodType | undefined = undefined,
  Output extends z.ZodType = z.ZodType,
>(spec: RouteSpec<Body, Query, Params, Output>): AnyRoute {
  return spec;
}
