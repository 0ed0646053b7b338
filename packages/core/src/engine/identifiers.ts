import { MemnexError } from '../errors.js';
import type { IdentifierRecord, TenantRecord } from '../model.js';
import type { CanonicalIdentifier, IdentifierNormalizer } from '../seams.js';
import type { Channel, Identifier } from '../wire/common.js';
import type { EngineContext } from './context.js';

/** How many canonical forms {@link identifierNormalizer} remembers; the oldest go first. */
const REMEMBERED_IDENTIFIERS = 10_000;

/**
 * The engine's view of a normaliser: its errors (e.g. `IdentifierError` of `@memnex/identity`,
 * or anything else it throws) become `VALIDATION_FAILED` on `identifier.id` with the reason.
 *
 * A normaliser is a pure function, and parsing a phone number costs more than the rest of a
 * cached read's lookup: the canonical forms of the identifiers seen last are remembered (frozen).
 */
export function identifierNormalizer(inner: IdentifierNormalizer): IdentifierNormalizer {
  const remembered = new Map<string, CanonicalIdentifier>();
  return {
    normalize(input) {
      const key = `${input.channel}\u0000${input.defaultRegion ?? ''}\u0000${input.id}`;
      const known = remembered.get(key);
      if (known) return known;
      const canonical = Object.freeze(normalizeWith(inner, input));
      if (remembered.size >= REMEMBERED_IDENTIFIERS) {
        remembered.delete(remembered.keys().next().value!);
      }
      remembered.set(key, canonical);
      return canonical;
    },
  };
}

function normalizeWith(
  inner: IdentifierNormalizer,
  input: Parameters<IdentifierNormalizer['normalize']>[0],
): CanonicalIdentifier {
  let canonical: CanonicalIdentifier;
  try {
    canonical = inner.normalize(input);
  } catch (error) {
    if (MemnexError.isInstance(error)) throw error;
    const reason = (error as { reason?: unknown }).reason;
    throw MemnexError.validation([
      {
        path: 'identifier.id',
        message: error instanceof Error ? error.message : String(error),
        code: typeof reason === 'string' ? reason : 'invalid_identifier',
      },
    ]);
  }
  if (!canonical.value) {
    throw MemnexError.validation([
      {
        path: 'identifier.id',
        message: `no canonical form for channel ${input.channel}`,
        code: 'invalid_identifier',
      },
    ]);
  }
  return canonical;
}

/** The key of a canonical identifier in caches. */
export function identifierKey(identifier: CanonicalIdentifier): string {
  return `${identifier.namespace}:${identifier.value}`;
}

/** The canonical form of an identifier under the tenant's settings (e.g. its phone region). */
export function canonicalIdentifier(
  context: EngineContext,
  tenant: TenantRecord,
  identifier: Identifier,
): CanonicalIdentifier {
  return context.identifiers.normalize({
    channel: identifier.channel,
    id: identifier.id,
    defaultRegion: tenant.settings.defaultRegion,
  });
}

/** Link a canonical identifier to a user; `CONFLICT` when it belongs to someone else. */
export async function storeIdentifier(
  context: EngineContext,
  link: {
    tenantId: string;
    userId: string;
    canonical: CanonicalIdentifier;
    channel: Channel;
    linkedAt?: string;
  },
): Promise<IdentifierRecord> {
  const identifier: IdentifierRecord = {
    tenantId: link.tenantId,
    userId: link.userId,
    ...link.canonical,
    channel: link.channel,
    linkedAt: link.linkedAt ?? context.now().toISOString(),
  };
  await context.stores.warm.linkIdentifier({ tenantId: link.tenantId, identifier });
  return identifier;
}
