import { createHash } from 'node:crypto';
import { accountEmailSchema, MemnexError } from '@memnex/core';
import { z } from 'zod';
import { clearSessionCookie, setSessionCookie } from './cookies.js';
import { bodyOf, type ConsoleContext, type ConsoleRoutes } from './console-http.js';
import { consoleDisabled, type ConsoleService, type ConsoleSession } from './console-service.js';
import { clientAddress, isHttps } from './guards.js';
import { checkPassword, hashPassword } from './passwords.js';
import { ENABLE_INSTRUCTIONS } from './console-options.js';

/** Passwords: long enough to resist guessing, short enough to hash quickly. */
const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

const signUpSchema = z.strictObject({
  email: accountEmailSchema,
  password: passwordSchema,
  tenantName: z.string().trim().min(1, 'name your organisation').max(200),
});

const signInSchema = z.strictObject({
  email: z.string().max(320),
  password: z.string().max(256),
});

/** What an e-mail attempt costs of the shared allowance; an address pays 1 (see the runtime). */
const EMAIL_COST = 3;

/**
 * Take points for an attempt from the client address's and the e-mail's allowances (the e-mail
 * by its hash, so limiter keys hold no address); `RATE_LIMITED` when either is spent.
 */
async function limitAttempt(
  context: ConsoleContext,
  service: ConsoleService,
  email: string,
): Promise<void> {
  const limiter = service.rateLimiter;
  if (!limiter) return;
  const address = clientAddress(context, service.trustProxy);
  const emailKey = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  const results = [
    await limiter.consume(`console:address:${address}`, 1),
    await limiter.consume(`console:email:${emailKey}`, EMAIL_COST),
  ];
  const denied = results.find((result) => !result.allowed);
  if (denied) {
    const seconds = Math.max(Math.ceil(denied.resetMs / 1000), 1);
    throw new MemnexError({
      code: 'RATE_LIMITED',
      message: `too many sign-in attempts; retry in ${seconds} s`,
      details: { retryAfterSeconds: seconds },
    });
  }
}

/** Start a session for an account: cookie set, sign-in recorded, the session's view answered. */
async function startSession(
  context: ConsoleContext,
  service: ConsoleService,
  account: { id: string; tenantId: string; role: 'owner' | 'viewer' },
) {
  const tokens = service.tokens!;
  const { token } = await tokens.issue({
    accountId: account.id,
    tenantId: account.tenantId,
    role: account.role,
  });
  setSessionCookie(context, token, { maxAgeSeconds: tokens.ttlSeconds, secure: isHttps(context) });
  await service.memnex.accounts.recordLogin({
    tenantId: account.tenantId,
    accountId: account.id,
  });
  const session = await service.authenticate(token);
  if (!session) throw new MemnexError({ code: 'INTERNAL', message: 'session did not start' });
  return sessionView(session);
}

/** What the page knows of its session: who, which tenant, the CSRF token, the expiry. */
function sessionView({ account, tenant, claims }: ConsoleSession) {
  return {
    account: {
      id: account.id,
      email: account.email,
      role: account.role,
      lastLoginAt: account.lastLoginAt,
    },
    tenant: { id: tenant.id, name: tenant.name },
    csrfToken: claims.csrf,
    expiresAt: new Date(claims.expiresAt * 1000).toISOString(),
  };
}

/** `GET /status` (public): whether the console is on, and how to turn it on. */
export const statusRoute: ConsoleRoutes = (api, service) => {
  api.get('/status', (context) =>
    context.json(
      service.tokens
        ? { enabled: true }
        : { enabled: false, variable: 'MEMNEX_JWT_SIGNING_KEY', instructions: ENABLE_INSTRUCTIONS },
    ),
  );
};

/** `POST /sign-up` and `POST /sign-in` (public): start a session. */
export const signInRoutes: ConsoleRoutes = (api, service) => {
  api.post('/sign-up', async (context) => {
    if (!service.tokens) throw consoleDisabled();
    const input = await bodyOf(context, signUpSchema);
    await limitAttempt(context, service, input.email);
    const { memnex } = service;
    if (await memnex.accounts.findByEmail({ email: input.email })) {
      throw new MemnexError({
        code: 'CONFLICT',
        message: 'an account with this e-mail address exists; sign in instead',
      });
    }
    const passwordHash = await hashPassword(input.password);
    const tenant = await memnex.tenants.create({ name: input.tenantName });
    let account;
    try {
      account = await memnex.accounts.create({
        tenantId: tenant.id,
        email: input.email,
        passwordHash,
        role: 'owner',
      });
    } catch (error) {
      // Another sign-up took the e-mail meanwhile: the tenant made for this one stays unused.
      await memnex.tenants
        .update({ tenantId: tenant.id, set: { disabled: true } })
        .catch(() => undefined);
      throw error;
    }
    return context.json(await startSession(context, service, account), 201);
  });

  api.post('/sign-in', async (context) => {
    if (!service.tokens) throw consoleDisabled();
    const input = await bodyOf(context, signInSchema);
    await limitAttempt(context, service, input.email);
    const account = await service.memnex.accounts.findByEmail({ email: input.email });
    const matches = await checkPassword(account?.passwordHash ?? null, input.password);
    if (!account || !matches) {
      throw new MemnexError({ code: 'UNAUTHENTICATED', message: 'wrong e-mail or password' });
    }
    const tenant = await service.memnex.tenants.get({ tenantId: account.tenantId });
    if (!tenant || tenant.disabled) {
      throw new MemnexError({ code: 'FORBIDDEN', message: "this account's tenant is disabled" });
    }
    return context.json(await startSession(context, service, account));
  });
};

/** `GET /session` and `POST /sign-out` (signed in). */
export const sessionRoutes: ConsoleRoutes = (api) => {
  api.get('/session', (context) => context.json(sessionView(context.get('session'))));
  api.post('/sign-out', (context) => {
    clearSessionCookie(context);
    return context.json({ signedOut: true });
  });
};
