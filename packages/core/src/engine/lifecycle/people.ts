import type { TenantRecord, UserRecord } from '../../model.js';
import type { UserInput } from '../../wire/common.js';
import type { EngineContext } from '../context.js';
import { resolveUser } from '../users.js';

/** The people a maintenance job covers: one, or every person (not merged alias) of the tenant. */
export async function* peopleOf(
  context: EngineContext,
  tenant: TenantRecord,
  input: { user?: UserInput },
): AsyncGenerator<UserRecord> {
  const { warm } = context.stores;
  if (input.user !== undefined) {
    const handle = await resolveUser(context, tenant, input.user, false);
    const user = handle ? await warm.getUserById({ tenantId: tenant.id, userId: handle.id }) : null;
    if (user) yield user;
    return;
  }
  let afterId: string | undefined;
  for (;;) {
    const page = await warm.listUsers({ tenantId: tenant.id, afterId, limit: 200 });
    for (const user of page) if (user.mergedInto === null) yield user;
    if (page.length < 200) return;
    afterId = page[page.length - 1]!.id;
  }
}
