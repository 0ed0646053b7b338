import { z } from 'zod';
import { callOf, queryOf, type ConsoleRoutes } from './console-http.js';
import { scopesOf } from './console-service.js';

const overviewQuerySchema = z.strictObject({
  hours: z.coerce.number().int().min(1).max(744).default(24),
});

/** Most state values the live page lists at once. */
const STATE_PAGE = 500;

/** `GET /overview` (counts and activity) and `GET /state` (values and schemas, for the live page). */
export const overviewRoutes: ConsoleRoutes = (api, { memnex }) => {
  api.get('/overview', async (context) => {
    const { tenantId } = callOf(context.get('session'));
    const { hours } = queryOf(context, overviewQuerySchema);
    const [stats, usage] = await Promise.all([
      memnex.tenants.stats({ tenantId }),
      memnex.tenants.usage({ tenantId, hours }),
    ]);
    return context.json({ stats, usage });
  });

  api.get('/state', async (context) => {
    const session = context.get('session');
    const call = { ...callOf(session), callerScopes: scopesOf(session.account.role) };
    const [values, schemas] = await Promise.all([
      memnex.state.list({ ...call, pattern: '*', limit: STATE_PAGE }),
      memnex.state.listSchemas(call),
    ]);
    return context.json({
      entries: values.entries,
      truncated: values.nextCursor !== null,
      schemas,
    });
  });
};
