import { createKeyInputSchema } from '@memnex/core/wire';
import { z } from 'zod';
import { bodyOf, callOf, requireOwner, type ConsoleRoutes } from './console-http.js';

const keyIdSchema = z.string().regex(/^k[0-9a-f]{8}$/u, 'must look like k0123abcd');

/** `GET /keys`, `POST /keys`, `DELETE /keys/:keyId`: the tenant's API keys. */
export const keysRoutes: ConsoleRoutes = (api, { memnex }) => {
  api.get('/keys', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    return context.json({ keys: await memnex.keys.list({ tenantId }) });
  });

  api.post('/keys', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const input = await bodyOf(context, createKeyInputSchema);
    return context.json(await memnex.keys.create({ ...input, ...callOf(session) }), 201);
  });

  api.delete('/keys/:keyId', async (context) => {
    const session = context.get('session');
    requireOwner(session);
    const keyId = keyIdSchema.safeParse(context.req.param('keyId'));
    // Another tenant's key, or no key at all: the same answer.
    const revoked = await memnex.keys.revoke({
      keyId: keyId.success ? keyId.data : 'k00000000',
      ...callOf(session),
    });
    return context.json(revoked);
  });
};
