import { z } from 'zod';
import { callOf, queryOf, type ConsoleRoutes } from './console-http.js';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time' });
const seq = z.coerce.number().int().min(1);

const auditQuerySchema = z.strictObject({
  op: z.string().trim().min(1).max(64).optional(),
  actor: z.string().trim().min(1).max(300).optional(),
  subject: z.string().trim().min(1).max(300).optional(),
  since: instant.optional(),
  until: instant.optional(),
  /** Page back from here: entries with a smaller seq (newest first). */
  beforeSeq: seq.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `GET /audit` (newest first, filtered, paged) and `GET /audit/verify`. */
export const auditRoutes: ConsoleRoutes = (api, { memnex }) => {
  api.get('/audit', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    const { limit, ...filters } = queryOf(context, auditQuerySchema);
    // One more than a page tells whether another page follows.
    const entries = await memnex.audit.list({
      tenantId,
      ...filters,
      limit: limit + 1,
      order: 'desc',
    });
    const page = entries.slice(0, limit);
    return context.json({
      entries: page,
      nextBeforeSeq: entries.length > limit ? page.at(-1)!.seq : null,
    });
  });

  api.get('/audit/verify', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    return context.json(await memnex.audit.verify({ tenantId }));
  });
};
