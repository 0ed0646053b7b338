import {
  MemnexError,
  requireScope,
  silentLogger,
  type Logger,
  type Memnex,
  type RateLimiter,
} from '@memnex/core';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { answerBody } from './answer-json.js';
import { authenticate } from './auth.js';
import type { RestEnv } from './caller.js';
import { createConsoleApi } from './console/console-api.js';
import type { ConsoleOptions } from './console/console-options.js';
import { mountConsolePages } from './console/console-pages.js';
import { createConsoleService } from './console/console-service.js';
import { createSocketSessions } from './console/socket-sessions.js';
import { DOCS_HTML, docsAsset } from './docs-page.js';
import { errorReplyOf } from './http-errors.js';
import { headersOf, limitBody, requestIds } from './http-request.js';
import { createRestMetrics, type RestMetrics } from './metrics.js';
import { withMemxOperations } from './memx-openapi.js';
import { createMemxRoutes } from './memx-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { appChecksScope, honoPathOf, type AnyRoute } from './route.js';
import { ROUTES } from './routes/index.js';
import { rateLimit } from './rate-limit.js';
import { parseRequest } from './parse-request.js';
import type { StateSocketsOptions } from './state-socket.js';
import { closeStateEventStreams } from './state-events.js';
import { SYSTEM_ROUTES } from './system-routes.js';
import { VERSION } from './version.js';

/** Options of {@link createRestApp}. */
export interface RestAppOptions {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** Where the server logs (request ids included); silent by default. */
  logger?: Logger;
  /** Per-key request limit; none when absent. Use a Redis-backed one when running several instances. */
  rateLimiter?: RateLimiter | null;
  /** Largest request body in bytes (default 1 MiB); larger ones get `413 PAYLOAD_TOO_LARGE`. */
  maxBodyBytes?: number;
  /** Metrics to record into and expose at `/metrics`; a fresh set by default. */
  metrics?: RestMetrics;
  /**
   * What `/metrics` answers instead of the text of `metrics.registry`: e.g. the samples of every
   * process of a server that runs several on one port, joined by `metrics.aggregate`.
   */
  metricsText?: () => Promise<string>;
  /**
   * Origins browsers may call the API from (`['*']` for any), e.g. a dashboard's; no CORS headers
   * when empty (the default).
   */
  corsOrigins?: readonly string[];
  /** Also answer memX's protocol (`/set`, `/get`, `/schema`, `/subscribe/{key}`); default true. */
  memx?: boolean;
  /**
   * The web console at `/console`: its signing key and sign-in limiter. Without a signing key
   * the page says how to turn it on and its API answers 503.
   */
  console?: ConsoleOptions;
}

/** The Hono app of the REST server, and what its host needs to run it. */
export interface RestApp {
  /** The Hono app: `app.fetch` serves requests on any runtime. */
  app: Hono<RestEnv>;
  /** The OpenAPI 3.1 document served at `/openapi.json`. */
  openapi: Record<string, unknown>;
  metrics: RestMetrics;
  /** Make `/readyz` answer 503 from now on, so load balancers stop sending traffic (draining). */
  drain(): void;
  /**
   * Resolves once no request is being handled, including requests whose client already hung up:
   * the stores must stay open until then, or a write could be committed without its ledger entry.
   */
  idle(): Promise<void>;
  /** What `serveRest` passes to `attachStateSockets` to serve the state WebSockets. */
  sockets: StateSocketsOptions;
}

/** Headers a browser client sends (the client's, and the ones a user may add). */
const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-memnex-channel',
  'x-memnex-client',
  'x-request-id',
  'idempotency-key',
  'last-event-id',
];
/** Headers a browser client must be able to read. */
const CORS_RESPONSE_HEADERS = [
  'x-request-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/**
 * The REST API of Memnex under `/v1`, with `/healthz`, `/readyz`, `/metrics`, `/openapi.json` and
 * `/docs`. Every request gets a request id (`X-Request-Id`), every failure the error body of
 * DESIGN §6 with its status.
 */
export function createRestApp(options: RestAppOptions): RestApp {
  const { memnex } = options;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? createRestMetrics();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const memx = options.memx ?? true;
  const v1Openapi = buildOpenApiDocument({
    routes: ROUTES,
    systemRoutes: SYSTEM_ROUTES,
    version: VERSION,
  });
  const openapi = memx ? withMemxOperations(v1Openapi) : v1Openapi;
  let draining = false;
  let inFlight = 0;
  const whenIdle: Array<() => void> = [];
  const app = new Hono<RestEnv>();

  const fail = (context: Context<RestEnv>, error: unknown) => {
    const reply = errorReplyOf(error, logger, {
      requestId: context.get('requestId'),
      method: context.req.method,
      path: context.req.path,
    });
    for (const [name, value] of Object.entries(reply.headers ?? {})) context.header(name, value);
    return context.json(reply.body, reply.status as 400);
  };

  app.use(requestIds());
  const corsOrigins = options.corsOrigins ?? [];
  if (corsOrigins.length > 0) {
    const allowOrigins = cors({
      origin: corsOrigins.includes('*') ? '*' : [...corsOrigins],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: CORS_REQUEST_HEADERS,
      exposeHeaders: CORS_RESPONSE_HEADERS,
      maxAge: 600,
    });
    // The console is same-origin only: other origins are for the API. Its paths are marked by
    // middleware registered on them, which a path prefix in front of the app moves along.
    app.use('/console/*', (context, next) => {
      context.set('console', true);
      return next();
    });
    app.use((context, next) => (context.get('console') ? next() : allowOrigins(context, next)));
  }
  // One wrapper per request: counted while it runs (for `idle()`), then measured and logged.
  app.use(async (context, next) => {
    const started = performance.now();
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of whenIdle.splice(0)) resolve();
    }
    const seconds = (performance.now() - started) / 1000;
    // The route pattern of the handler the request matched, even when a middleware answered
    // first (401, 413, 429); never the raw path, so unknown paths cannot grow the label set.
    const route =
      matchedRoutes(context).findLast((matched) => matched.method !== 'ALL')?.path ?? 'unmatched';
    const status = context.res.status;
    metrics.observeRequest({ method: context.req.method, route, status, seconds });
    const fields = {
      requestId: context.get('requestId'),
      method: context.req.method,
      route,
      status,
      ms: Math.round(seconds * 1e4) / 10,
    };
    if (status >= 500) logger.warn('request failed', fields);
    else logger.debug('request', fields);
  });
  app.onError((error, context) => fail(context, error));
  app.notFound((context) =>
    fail(
      context,
      new MemnexError({
        code: 'NOT_FOUND',
        message: `no route ${context.req.method} ${context.req.path}`,
      }),
    ),
  );

  app.get('/healthz', (context) => context.json({ ok: true }));
  app.get('/readyz', async (context) => {
    if (draining) return context.json({ ok: false, draining: true }, 503);
    const health = await memnex.health();
    // Store errors name hosts and drivers: they go to the log, the unauthenticated answer says
    // only which store is down.
    const stores = Object.fromEntries(
      Object.entries(health.stores).map(([name, store]) => {
        if (!store.ok) logger.warn('readiness probe failed', { store: name, error: store.error });
        return [name, { ok: store.ok }];
      }),
    );
    return context.json({ ok: health.ok, stores }, health.ok ? 200 : 503);
  });
  const metricsText = options.metricsText ?? (() => metrics.registry.metrics());
  app.get('/metrics', async (context) =>
    context.text(await metricsText(), 200, { 'content-type': metrics.registry.contentType }),
  );
  app.get('/openapi.json', (context) => context.json(openapi));
  app.get('/docs', (context) => context.html(DOCS_HTML));
  // The page's URLs are relative to `/docs`: under `/docs/` they would miss. The redirect is
  // relative too, so that a path prefix in front of the app is kept.
  app.use('/docs/', async (context, next) => {
    if (context.req.method !== 'GET' && context.req.method !== 'HEAD') return next();
    return context.redirect('../docs', 301);
  });
  app.get('/docs/assets/:file', async (context) => {
    const asset = await docsAsset(context.req.param('file'));
    if (!asset) throw MemnexError.notFound('asset');
    return context.body(asset.body as string, 200, {
      'content-type': asset.type,
      'cache-control': 'public, max-age=86400',
    });
  });

  const consoleService = createConsoleService(memnex, options.console ?? {});
  app.route('/console/api', createConsoleApi(consoleService));
  mountConsolePages(app);

  if (memx) {
    const rateLimiter = options.rateLimiter ?? null;
    app.route('/', createMemxRoutes({ memnex, logger, rateLimiter, maxBodyBytes }));
  }

  app.use('/v1/*', limitBody(maxBodyBytes));
  app.use('/v1/*', async (context, next) => {
    const caller = await authenticate(memnex, headersOf(context));
    context.set('caller', caller);
    if (options.rateLimiter) await rateLimit(options.rateLimiter, caller.keyId, context);
    await next();
  });
  for (const route of ROUTES) register(app, route, memnex);

  return {
    app,
    openapi,
    metrics,
    drain: () => {
      draining = true;
      // Event streams would hold the server open until the drain deadline: end them, and their
      // clients resume on another instance.
      closeStateEventStreams(memnex);
    },
    idle: () =>
      inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenIdle.push(resolve)),
    sockets: {
      memnex,
      logger,
      metrics,
      rateLimiter: options.rateLimiter ?? null,
      memx,
      consoleSessions: createSocketSessions(consoleService),
    },
  };
}

function register(app: Hono<RestEnv>, route: AnyRoute, memnex: Memnex): void {
  app.on(route.method.toUpperCase(), honoPathOf(route), async (context) => {
    const caller = context.get('caller');
    if (appChecksScope(route)) requireScope({ callerScopes: caller.scopes }, route.scope);
    if (route.tenantWide && caller.pinnedUserId) {
      throw new MemnexError({
        code: 'FORBIDDEN',
        message: 'a key pinned to one user cannot use whole-tenant routes',
      });
    }
    const parsed = await parseRequest(route, context);
    const result = await route.handle({
      ...parsed,
      caller,
      memnex,
      header: headersOf(context),
    });
    // Server-sent events: the handler answers with the stream itself.
    if (result instanceof Response) return result;
    return context.body(answerBody(result), route.status ?? 200, {
      'content-type': 'application/json',
    });
  });
}
