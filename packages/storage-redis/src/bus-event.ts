import type { BusEvent } from '@memnex/core';

type Fields = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);

/** The fields each event type must carry, besides `type` and `tenantId`. */
const REQUIRED: Record<BusEvent['type'], (fields: Fields) => boolean> = {
  'memory.changed': (fields) =>
    isString(fields.userId) && isString(fields.externalId) && Number.isFinite(fields.version),
  'user.forgotten': (fields) =>
    isString(fields.userId) && isString(fields.externalId) && isStringArray(fields.identifierKeys),
  'identity.changed': (fields) => isStringArray(fields.identifierKeys),
  'tenant.changed': () => true,
  'state.changed': (fields) => isStateChange(fields.change),
  'state.schema': (fields) =>
    isString(fields.pattern) &&
    (fields.action === 'set' || fields.action === 'delete') &&
    Number.isInteger(fields.revision) &&
    isString(fields.updatedAt) &&
    isString(fields.updatedBy),
  'embedding.changed': (fields) => Number.isInteger(fields.revision),
};

/** Event types about the whole deployment rather than one tenant: they carry no `tenantId`. */
const UNSCOPED: ReadonlySet<string> = new Set<BusEvent['type']>(['embedding.changed']);

function isStateChange(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const change = value as Fields;
  return (
    isString(change.key) &&
    (change.kind === 'value' || change.kind === 'delete') &&
    Object.hasOwn(change, 'value') &&
    Number.isInteger(change.version) &&
    isString(change.updatedAt) &&
    isString(change.updatedBy) &&
    (change.expiresAt === null || isString(change.expiresAt))
  );
}

/** Why a message is not an event, or null when it is one. */
function checkBusEvent(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const fields = value as Fields;
  const type = fields.type;
  if (!isString(type) || !Object.hasOwn(REQUIRED, type)) return 'unknown event type';
  if (!UNSCOPED.has(type) && !isString(fields.tenantId)) return 'missing tenantId';
  if (fields.origin !== undefined && !isString(fields.origin)) return 'invalid origin';
  return REQUIRED[type as BusEvent['type']](fields) ? null : `invalid ${type} event`;
}

/**
 * Parse a pub/sub message into a {@link BusEvent}. Another instance (maybe a newer version) or
 * anyone with access to the channel may publish anything, and the engine acts on what it gets,
 * so a message is accepted only when it has every field its type requires.
 */
export function parseBusEvent(
  message: string,
): { event: BusEvent; problem?: undefined } | { event?: undefined; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return { problem: 'not JSON' };
  }
  const problem = checkBusEvent(value);
  return problem === null ? { event: value as BusEvent } : { problem };
}
