import {
  MemnexError,
  type Logger,
  type Memnex,
  type RateLimiter,
  type VerifiedKey,
} from '@memnex/core';
import { statePatternSchema } from '@memnex/core/wire';
import { Hono, type Context } from 'hono';
import { callerOf } from './auth.js';
import { stateCallOf, type Caller, type RestEnv } from './caller.js';
import { headersOf, limitBody } from './http-request.js';
import { memxKeyOf, memxTs } from './memx-auth.js';
import { rateLimit } from './rate-limit.js';

/** Options of {@link createMemxRoutes}. */
export interface MemxRoutesOptions {
  memnex: Memnex;
  logger: Logger;
  rateLimiter: RateLimiter | null;
  /** Largest request body in bytes; larger ones get `413`. */
  maxBodyBytes: number;
}

/** FastAPI's answer to a request without the `key` query parameter (pydantic 1 wording). */
export const MEMX_MISSING_KEY_BODY = {
  detail: [{ loc: ['query', 'key'], msg: 'field required', type: 'value_error.missing' }],
};

/** A memX answer other than a success: its status and `{"detail": ...}` body. */
class MemxReply extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : 'memX error');
  }
}

/** What a scope failure is called in memX's message. */
type Action = 'READ' | 'WRITE';

/**
 * A failure of the engine as memX words it: `{"detail": "<message>"}` with memX's statuses and
 * messages, and, for validation failures, Memnex's issues under `errors` (each with its `path`;
 * for a schema violation, the JSON pointer of the offending part of the value).
 */
function memxReplyOf(error: unknown, action: Action, key: string): unknown {
  if (!MemnexError.isInstance(error)) return error;
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return new MemxReply(403, { detail: 'Invalid or inactive API key' });
    case 'FORBIDDEN':
      return new MemxReply(403, { detail: `${action} not permitted for key '${key}'` });
    case 'VALIDATION_FAILED':
      return new MemxReply(400, { detail: error.message, errors: error.details?.issues ?? [] });
    case 'RATE_LIMITED': {
      const retryAfter = error.details?.retryAfterSeconds;
      return new MemxReply(
        429,
        { detail: error.message },
        typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
      );
    }
    default:
      return error.status >= 500 ? error : new MemxReply(error.status, { detail: error.message });
  }
}

/** The JSON object body of a request with the fields it must have; 400 otherwise. */
async function objectBody(
  context: Context,
  fields: readonly string[],
): Promise<Record<string, unknown>> {
  const text = await context.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('', 'the request body is not valid JSON', 'invalid_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(
      '',
      `the body must be a JSON object with ${fields.join(' and ')}`,
      'invalid_type',
    );
  }
  const object = body as Record<string, unknown>;
  for (const field of fields) {
    if (!(field in object)) throw invalid(field, `"${field}" is required`, 'invalid_type');
  }
  if (typeof object.key !== 'string')
    throw invalid('key', '"key" must be a string', 'invalid_type');
  return object;
}

function invalid(path: string, message: string, code: string): MemnexError {
  return MemnexError.validation([{ path, message, code }], message);
}

const METHOD_NOT_ALLOWED = { detail: 'Method Not Allowed' };

/**
 * memX's HTTP protocol: `POST /set`, `GET /get`, `POST|GET|DELETE /schema`, answered as memX
 * does for valid use (same bodies and statuses) but without its failure modes: bad bodies are
 * `400`, never `500`; authentication comes first and never falls back; values are limited in
 * size and must be JSON (no `NaN`).
 */
export function createMemxRoutes(options: MemxRoutesOptions): Hono<RestEnv> {
  const { memnex, logger } = options;
  const app = new Hono<RestEnv>();

  const reply = (context: Context<RestEnv>, error: unknown): Response => {
    const mapped = error instanceof MemxReply ? error : memxReplyOf(error, 'READ', '');
    if (mapped instanceof MemxReply) {
      for (const [name, value] of Object.entries(mapped.headers)) context.header(name, value);
      return context.json(mapped.body, mapped.status as 400);
    }
    if (MemnexError.isInstance(mapped) && mapped.code !== 'INTERNAL') {
      logger.warn('memx request failed', {
        requestId: context.get('requestId'),
        path: context.req.path,
        error: mapped,
        code: mapped.code,
      });
      return context.json({ detail: mapped.message }, mapped.status as 503);
    }
    logger.error('unexpected error in a memx request', {
      requestId: context.get('requestId'),
      path: context.req.path,
      error: mapped,
    });
    return context.json({ detail: 'Internal Server Error' }, 500);
  };

  /** Authenticate (memX: 401 without a key, 403 with a bad one), then take a rate-limit point. */
  const authorize = async (context: Context<RestEnv>): Promise<Caller> => {
    const raw = memxKeyOf(headersOf(context));
    if (raw === null) throw new MemxReply(401, { detail: 'Missing API key' });
    let key: VerifiedKey;
    try {
      key = await memnex.keys.verify({ key: raw });
    } catch (error) {
      throw memxReplyOf(error, 'READ', '');
    }
    if (options.rateLimiter) await rateLimit(options.rateLimiter, key.keyId, context);
    return callerOf(key);
  };

  const handle =
    (run: (context: Context<RestEnv>, caller: Caller) => Promise<Response>) =>
    async (context: Context<RestEnv>) => {
      try {
        return await run(context, await authorize(context));
      } catch (error) {
        return reply(context, error);
      }
    };

  /**
   * A route that names its key in the query (`?key=`): FastAPI's 422 without it, before anything
   * else, authentication included; then `run`, whose failures memX words for `action` on the key.
   */
  const byQueryKey =
    (
      action: Action,
      run: (context: Context<RestEnv>, caller: Caller, name: string) => Promise<Response>,
    ) =>
    (context: Context<RestEnv>) => {
      const name = context.req.query('key');
      if (name === undefined) return context.json(MEMX_MISSING_KEY_BODY, 422);
      return handle(async (_context, caller) => {
        try {
          return await run(context, caller, name);
        } catch (error) {
          throw memxReplyOf(error, action, name);
        }
      })(context);
    };

  const limit = limitBody(options.maxBodyBytes, (context) =>
    context.json({ detail: `request body exceeds ${options.maxBodyBytes} bytes` }, 413),
  );

  app.post(
    '/set',
    limit,
    handle(async (context, caller) => {
      const body = await objectBody(context, ['key', 'value']);
      const name = body.key as string;
      try {
        const entry = await memnex.state.set({
          ...stateCallOf(caller),
          key: name,
          value: body.value,
        });
        // Memnex never drops a write: `updated` is always true.
        return context.json({ ok: true, updated: true, version: entry.version });
      } catch (error) {
        throw memxReplyOf(error, 'WRITE', name);
      }
    }),
  );

  app.get(
    '/get',
    byQueryKey('READ', async (context, caller, name) => {
      const entry = await memnex.state.get({ ...stateCallOf(caller), key: name });
      if (!entry) return context.json(null);
      return context.json({
        value: entry.value,
        ts: memxTs(entry.updatedAt),
        version: entry.version,
      });
    }),
  );

  app.post(
    '/schema',
    limit,
    handle(async (context, caller) => {
      const body = await objectBody(context, ['key', 'schema']);
      const pattern = body.key as string;
      const parsed = statePatternSchema.safeParse(pattern);
      if (!parsed.success) {
        throw memxReplyOf(
          invalid('key', parsed.error.issues[0]?.message ?? 'invalid key', 'invalid_format'),
          'WRITE',
          pattern,
        );
      }
      const { schema } = body;
      if (
        typeof schema !== 'boolean' &&
        (typeof schema !== 'object' || schema === null || Array.isArray(schema))
      ) {
        throw new MemxReply(400, {
          detail: 'Invalid schema: a schema is a JSON object or a boolean',
          errors: [{ path: '', message: 'a schema is an object or a boolean', code: 'type' }],
        });
      }
      try {
        await memnex.state.setSchema({ ...stateCallOf(caller), pattern, schema });
        return context.json({ ok: true });
      } catch (error) {
        const mapped = memxReplyOf(error, 'WRITE', pattern);
        if (mapped instanceof MemxReply && mapped.status === 400) {
          const message = mapped.message.replace(/^invalid schema:\s*/iu, '');
          throw new MemxReply(400, { ...mapped.body, detail: `Invalid schema: ${message}` });
        }
        throw mapped;
      }
    }),
  );

  app.get(
    '/schema',
    byQueryKey('READ', async (context, caller, pattern) => {
      const record = await memnex.state.getSchema({ ...stateCallOf(caller), pattern });
      if (!record) return context.json({ detail: 'Schema not found' }, 404);
      return context.json({ key: pattern, schema: record.schema });
    }),
  );

  app.delete(
    '/schema',
    byQueryKey('WRITE', async (context, caller, pattern) => {
      const { deleted } = await memnex.state.deleteSchema({ ...stateCallOf(caller), pattern });
      if (!deleted) return context.json({ detail: 'Schema not found' }, 404);
      return context.json({ ok: true });
    }),
  );

  // memX has no other methods on these paths: values cannot be deleted, for one.
  for (const [path, allow] of [
    ['/set', 'POST'],
    ['/get', 'GET'],
    ['/schema', 'GET, POST, DELETE'],
  ] as const) {
    app.all(path, (context) => context.json(METHOD_NOT_ALLOWED, 405, { allow }));
  }
  return app;
}
