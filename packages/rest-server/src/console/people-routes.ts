import { isCurrentMemory, MemnexError } from '@memnex/core';
import {
  formatSchema,
  identifierSchema,
  LIMITS,
  timelineInputSchema,
  userIdSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { bodyOf, callOf, queryOf, requireOwner, type ConsoleRoutes } from './console-http.js';
import type { ConsoleService } from './console-service.js';
import { findPeople } from './people.js';

const searchSchema = z.strictObject({ query: z.string().trim().min(1).max(512) });
const personSchema = z.strictObject({ userId: userIdSchema });
const previewSchema = z.strictObject({
  userId: userIdSchema,
  format: formatSchema,
  tokenBudget: z.coerce.number().int().min(1).max(LIMITS.tokenBudgetMax).default(500),
});
const forgetSchema = z.strictObject({
  userId: userIdSchema,
  reason: z.string().trim().min(1).max(LIMITS.reasonLength),
});
const linkSchema = z.strictObject({ userId: userIdSchema, identifier: identifierSchema });
const mergeSchema = z.strictObject({ from: userIdSchema, into: userIdSchema });
/** The most timeline entries one call gives: a person's page shows them all, up to this. */
const TIMELINE_MAX = timelineInputSchema.shape.limit.unwrap().maxValue ?? 1000;

/** The tenant's user with this id, or `NOT_FOUND`: never created, never another tenant's. */
async function requirePerson(service: ConsoleService, tenantId: string, userId: string) {
  const profile = await service.memnex.users.get({ tenantId, user: { userId } });
  if (!profile) throw MemnexError.notFound('user', { userId });
  return profile;
}

/**
 * `GET /people?query=` (search), `GET /person?userId=` (profile, memories, history),
 * `GET /person/preview` (the context `read` gives a channel), `POST /person/export`,
 * `/person/forget`, `/person/link`, `/person/unlink` and `/people/merge`.
 */
export const peopleRoutes: ConsoleRoutes = (api, service) => {
  const { memnex } = service;

  api.get('/people', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    const { query } = queryOf(context, searchSchema);
    return context.json({ matches: await findPeople(memnex, tenantId, query) });
  });

  api.get('/person', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    const { userId } = queryOf(context, personSchema);
    const profile = await requirePerson(service, tenantId, userId);
    const { entries } = await memnex.timeline({
      tenantId,
      user: { userId: profile.userId },
      limit: TIMELINE_MAX,
    });
    // Each memory has a `created` entry; the others end one (superseded, resolved, expired).
    const now = memnex.now();
    return context.json({
      profile,
      current: entries
        .filter((entry) => entry.event === 'created')
        .map((entry) => entry.memory)
        .filter((memory) => isCurrentMemory(memory, now)),
      history: entries.filter((entry) => entry.event !== 'created'),
    });
  });

  api.get('/person/preview', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    const { userId, format, tokenBudget } = queryOf(context, previewSchema);
    await requirePerson(service, tenantId, userId);
    const read = await memnex.read({ tenantId, user: { userId }, format, tokenBudget });
    return context.json({
      format,
      tokenBudget,
      context: read.context,
      tokens: read.tokens,
      items: read.items.length,
    });
  });

  api.post('/person/export', async (context) => {
    const session = context.get('session');
    const { userId } = await bodyOf(context, personSchema);
    await requirePerson(service, callOf(session).tenantId, userId);
    const document = await memnex.export({ ...callOf(session), user: { userId } });
    context.header('content-disposition', `attachment; filename="memnex-export.json"`);
    return context.json(document);
  });

  api.post('/person/forget', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const { userId, reason } = await bodyOf(context, forgetSchema);
    await requirePerson(service, callOf(session).tenantId, userId);
    return context.json(await memnex.forget({ ...callOf(session), user: { userId }, reason }));
  });

  api.post('/person/link', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const { userId, identifier } = await bodyOf(context, linkSchema);
    await requirePerson(service, callOf(session).tenantId, userId);
    return context.json(
      await memnex.identifiers.link({ ...callOf(session), identifier, user: { userId } }),
    );
  });

  api.post('/person/unlink', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const { userId, identifier } = await bodyOf(context, linkSchema);
    const { tenantId } = callOf(session);
    await requirePerson(service, tenantId, userId);
    // Only this person's own identifier: the page never unlinks someone else's.
    const owner = await memnex.identifiers.resolve({ tenantId, identifier });
    if (owner?.userId !== userId) throw MemnexError.notFound('identifier of this user');
    return context.json(await memnex.identifiers.unlink({ ...callOf(session), identifier }));
  });

  api.post('/people/merge', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const { from, into } = await bodyOf(context, mergeSchema);
    const { tenantId } = callOf(session);
    await requirePerson(service, tenantId, from);
    await requirePerson(service, tenantId, into);
    return context.json(
      await memnex.users.merge({
        ...callOf(session),
        from: { userId: from },
        into: { userId: into },
      }),
    );
  });
};
