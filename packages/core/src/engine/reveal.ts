import { MemnexError } from '../errors.js';
import { revealInputSchema, type RevealInput, type RevealResult } from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { appendAudit } from './effects.js';
import { requireScope } from './keys.js';
import { resolveUser } from './users.js';
import { parseInput, splitTenant } from './validate.js';

/** Options of `memnex.privacy.reveal`. */
export type RevealOptions = RevealInput & { tenantId: string } & CallContext;

/**
 * Decrypt the `encrypt`-strategy PII of some memories of a user. Needs the `pii:reveal` scope
 * (in-process callers pass it explicitly); every reveal is written to the audit ledger with the
 * memory ids and the reason, never the revealed text.
 */
export async function revealPii(
  context: EngineContext,
  options: RevealOptions,
): Promise<RevealResult> {
  const [tenantId, { actor = 'system', callerScopes, ...wire }] = splitTenant(options);
  // Unlike other operations, a reveal is never implied: in-process callers state the scope too.
  requireScope({ callerScopes: callerScopes ?? [] }, 'pii:reveal');
  const input = parseInput(revealInputSchema, wire);
  const tenant = await context.tenants.require(tenantId);
  const user = await resolveUser(context, tenant, input.user, false);
  if (!user) throw MemnexError.notFound('user');
  const records = (
    await context.stores.warm.getMemories({ tenantId, ids: input.memoryIds })
  ).filter((record) => record.userId === user.id);
  let revealed = 0;
  let failed = 0;
  const memories = records.map((record) => {
    const result = context.masker.reveal?.({ tenantId, text: record.text }) ?? {
      text: record.text,
      revealed: 0,
      failed: 0,
    };
    revealed += result.revealed;
    failed += result.failed;
    return { id: record.id, text: result.text, revealed: result.revealed };
  });
  const entry = await appendAudit(context, tenantId, {
    op: 'pii.reveal',
    actor,
    subject: user.id,
    payload: {
      memoryIds: memories.map((memory) => memory.id),
      revealed,
      failed,
      reason: input.reason,
    },
  });
  return { memories, revealed, failed, ledgerSeq: entry?.seq ?? null };
}
