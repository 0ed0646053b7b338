import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { MemnexError } from '../errors.js';
import type { AccountRecord, AccountRole } from '../ports/index.js';
import type { EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { parseInput, splitTenant } from './validate.js';

/** An account as the console shows it: never the password hash. */
export type AccountView = Omit<AccountRecord, 'passwordHash'>;

/** Options of `memnex.accounts.create`. */
export interface CreateAccountOptions {
  tenantId: string;
  /** Trimmed and lower-cased before it is stored. */
  email: string;
  /** A slow, salted hash of the password in PHC form; the engine never sees the password. */
  passwordHash: string;
  role: AccountRole;
}

/** A normalised e-mail address: trimmed, lower-cased, at most 254 characters. */
export const accountEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an e-mail address' }).max(254));

const createSchema = z.strictObject({
  email: accountEmailSchema,
  passwordHash: z
    .string()
    .regex(/^\$[a-z0-9-]+\$/u, 'must be a PHC string such as $argon2id$...')
    .max(1024),
  role: z.enum(['owner', 'viewer']),
});

/** The account without its password hash. */
export function accountView(record: AccountRecord): AccountView {
  const { passwordHash: _passwordHash, ...view } = record;
  return view;
}

/**
 * Create a console account in a tenant; `CONFLICT` when the e-mail is taken (in any tenant).
 * The ledger records who was created with which role, never the e-mail address.
 */
export async function createAccount(
  context: EngineContext,
  options: CreateAccountOptions,
): Promise<AccountView> {
  const [tenantId, rest] = splitTenant(options);
  const input = parseInput(createSchema, rest);
  await context.tenants.require(tenantId);
  const account: AccountRecord = {
    id: `a${randomBytes(8).toString('hex')}`,
    tenantId,
    email: input.email,
    passwordHash: input.passwordHash,
    role: input.role,
    createdAt: context.now().toISOString(),
    lastLoginAt: null,
  };
  try {
    await context.stores.accounts.create({ account });
  } catch (error) {
    if (MemnexError.isInstance(error) && error.code === 'CONFLICT') {
      throw new MemnexError({
        code: 'CONFLICT',
        message: 'an account with this e-mail address exists; sign in instead',
      });
    }
    throw error;
  }
  await appendAudit(context, tenantId, {
    op: 'account.create',
    actor: `account:${account.id}`,
    subject: account.id,
    payload: { accountId: account.id, role: account.role },
  });
  return accountView(account);
}

/**
 * The account with this e-mail address (normalised first), in any tenant, with its password
 * hash: what signing in checks. Null when there is none or the address is not one.
 */
export async function findAccountByEmail(
  context: EngineContext,
  options: { email: string },
): Promise<AccountRecord | null> {
  const parsed = accountEmailSchema.safeParse(options?.email);
  if (!parsed.success) return null;
  return context.stores.accounts.findByEmail({ email: parsed.data });
}

/** The tenant's account with this id, or null. */
export async function getAccount(
  context: EngineContext,
  options: { tenantId: string; accountId: string },
): Promise<AccountView | null> {
  const [tenantId, { accountId }] = splitTenant(options);
  if (typeof accountId !== 'string' || !/^a[0-9a-f]{16}$/u.test(accountId)) return null;
  const record = await context.stores.accounts.get({ tenantId, accountId });
  return record ? accountView(record) : null;
}

/** Record a successful sign-in: `lastLoginAt`, and an `account.login` ledger entry. */
export async function recordLogin(
  context: EngineContext,
  options: { tenantId: string; accountId: string },
): Promise<void> {
  const [tenantId, { accountId }] = splitTenant(options);
  await context.stores.accounts.recordLogin({
    tenantId,
    accountId,
    at: context.now().toISOString(),
  });
  await appendAudit(context, tenantId, {
    op: 'account.login',
    actor: `account:${accountId}`,
    subject: accountId,
    payload: { accountId },
  });
}
