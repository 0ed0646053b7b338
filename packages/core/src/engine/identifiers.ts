import { MemnexError } from '../errors.js';
import type { IdentifierRecord, TenantRecord } from '../model.js';
import type { CanonicalIdentifier, IdentifierNormalizer } from '../seams.js';
import type { Channel, Identifier } from '../wire/common.js';
import type { EngineContext } from './context.js';

const PHONE_CHANNELS: ReadonlySet<Channel> = new Set(['voice', 'sms', 'whatsapp']);

function invalid(channel: Channel, reason: string): MemnexError {
  return MemnexError.validation([
    {
      path: 'identifier.id',
      message: `${reason} for channel ${channel}`,
      code: 'invalid_identifier',
    },
  ]);
}

/**
 * A conservative normaliser used until a richer one is plugged in: phone channels share one
 * `phone` namespace in `+<digits>` form (national numbers are not guessed), emails are trimmed
 * and lower-cased, web and app ids trimmed. Idempotent; never returns an empty value.
 */
export const basicIdentifierNormalizer: IdentifierNormalizer = {
  normalize({ channel, id }): CanonicalIdentifier {
    const trimmed = id.normalize('NFKC').trim();
    if (PHONE_CHANNELS.has(channel)) {
      const withoutPrefix = trimmed.replace(/^(?:wa|tel|sms):/iu, '');
      const digits = withoutPrefix.replace(/[\s().-]/gu, '');
      const international = digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
      const value = international.startsWith('+') ? international : `+${international}`;
      if (!/^\+[1-9]\d{5,14}$/u.test(value))
        throw invalid(channel, 'not a phone number in international form');
      return { namespace: 'phone', value };
    }
    if (channel === 'email') {
      const value = trimmed.toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(value))
        throw invalid(channel, 'not an email address');
      return { namespace: 'email', value };
    }
    if (trimmed.length === 0) throw invalid(channel, 'empty identifier');
    return { namespace: channel === 'web' ? 'web' : 'app', value: trimmed };
  },
};

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
