import { createKeyInputSchema } from '@memnex/core/wire';
import { bodyOf, callOf, requireOwner, type ConsoleRoutes } from './console-http.js';

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
    // Another tenant's key, or no key at all: the same answer, `NOT_FOUND` (a malformed id is
    // refused by the engine as `VALIDATION_FAILED`).
    const keyId = context.req.param('keyId');
    return context.json(await memnex.keys.revoke({ keyId, ...callOf(session) }));
  });
};
