/**
 * The raw API key of a memX-style request: the `x-api-key` header, memX's only way; an
 * `Authorization: Bearer <key>` header is accepted too. Null when neither is there.
 */
export function memxKeyOf(header: (name: string) => string | undefined): string | null {
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) return apiKey;
  const match = /^Bearer\s+(\S+)$/iu.exec(header('authorization')?.trim() ?? '');
  return match ? match[1]! : null;
}

/** memX's `ts`: float seconds since the epoch, from an ISO 8601 time. */
export function memxTs(isoTime: string): number {
  return Date.parse(isoTime) / 1000;
}
