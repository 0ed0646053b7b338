import type { IdentifierRecord } from '@memnex/core';
import { and, asc, eq } from 'drizzle-orm';
import type { Transaction } from './database.js';
import { conflict } from './storage-errors.js';
import { identifiers } from './schema.js';
import { toIdentifier, type Options } from './warm-records.js';

export async function findIdentifier(
  transaction: Transaction,
  { tenantId, namespace, value }: Options<'findIdentifier'>,
): Promise<IdentifierRecord | null> {
  const [row] = await transaction
    .select()
    .from(identifiers)
    .where(
      and(
        eq(identifiers.tenantId, tenantId),
        eq(identifiers.namespace, namespace),
        eq(identifiers.value, value),
      ),
    );
  return row ? toIdentifier(row) : null;
}

/** Link, or find the existing link: idempotent for the same user, `CONFLICT` for another. */
export async function linkIdentifier(
  transaction: Transaction,
  { tenantId, identifier }: Options<'linkIdentifier'>,
): Promise<void> {
  const inserted = await transaction
    .insert(identifiers)
    .values({ ...identifier, tenantId })
    .onConflictDoNothing()
    .returning({ value: identifiers.value });
  if (inserted.length > 0) return;
  const { namespace, value } = identifier;
  const existing = await findIdentifier(transaction, { tenantId, namespace, value });
  if (existing?.userId === identifier.userId) return;
  throw conflict('identifier belongs to another user', {
    namespace: identifier.namespace,
    value: identifier.value,
  });
}

export async function unlinkIdentifier(
  transaction: Transaction,
  { tenantId, namespace, value }: Options<'unlinkIdentifier'>,
): Promise<boolean> {
  const removed = await transaction
    .delete(identifiers)
    .where(
      and(
        eq(identifiers.tenantId, tenantId),
        eq(identifiers.namespace, namespace),
        eq(identifiers.value, value),
      ),
    )
    .returning({ value: identifiers.value });
  return removed.length > 0;
}

export async function listIdentifiers(
  transaction: Transaction,
  { tenantId, userId }: Options<'listIdentifiers'>,
): Promise<IdentifierRecord[]> {
  const rows = await transaction
    .select()
    .from(identifiers)
    .where(and(eq(identifiers.tenantId, tenantId), eq(identifiers.userId, userId)))
    .orderBy(asc(identifiers.linkedAt), asc(identifiers.namespace), asc(identifiers.value));
  return rows.map(toIdentifier);
}
