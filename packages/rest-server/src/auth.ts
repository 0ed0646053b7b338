import { MemnexError, type Memnex, type VerifiedKey } from '@memnex/core';
import { channelSchema, type Channel } from '@memnex/core/wire';
import type { Caller } from './caller.js';

/** The raw key of a request: `Authorization: Bearer <key>`, else `x-api-key`. */
function rawKeyOf(header: (name: string) => string | undefined): string {
  const authorization = header('authorization')?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/iu.exec(authorization);
    if (!match) {
      throw new MemnexError({
        code: 'UNAUTHENTICATED',
        message: 'Authorization must be "Bearer <API key>"',
      });
    }
    return match[1]!;
  }
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) return apiKey;
  throw new MemnexError({
    code: 'UNAUTHENTICATED',
    message: 'missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
  });
}

/** Authenticate a request and read its channel; `UNAUTHENTICATED` or `VALIDATION_FAILED`. */
export async function authenticate(
  memnex: Memnex,
  header: (name: string) => string | undefined,
): Promise<Caller> {
  const key = await memnex.keys.verify({ key: rawKeyOf(header) });
  const channelHeader = header('x-memnex-channel')?.trim().toLowerCase();
  let channel = key.defaultChannel;
  if (channelHeader) {
    const parsed = channelSchema.safeParse(channelHeader);
    if (!parsed.success) {
      throw MemnexError.validation([
        {
          path: 'X-Memnex-Channel',
          message: `must be one of ${channelSchema.options.join(', ')}`,
          code: 'invalid_value',
        },
      ]);
    }
    channel = parsed.data;
  }
  return callerOf(key, channel);
}

/** The caller of a verified key, on `channel` (the key's default channel unless given). */
export function callerOf(key: VerifiedKey, channel: Channel | null = key.defaultChannel): Caller {
  return {
    tenantId: key.tenantId,
    keyId: key.keyId,
    scopes: key.scopes,
    channel,
    pinnedUserId: key.pinnedUserId,
    actor: `key:${key.keyId}`,
  };
}
