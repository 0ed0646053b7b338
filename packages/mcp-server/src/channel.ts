import { MemnexError } from '@memnex/core';
import { channelSchema, type Channel } from '@memnex/core/wire';

/** A valid channel or `VALIDATION_FAILED` naming the setting. */
export function parseChannel(channel: string | undefined, setting: string): Channel | undefined {
  if (channel === undefined || channel === '') return undefined;
  const parsed = channelSchema.safeParse(channel);
  if (parsed.success) return parsed.data;
  throw MemnexError.validation([
    {
      path: setting,
      message: `must be one of ${channelSchema.options.join(', ')}`,
      code: 'invalid_value',
    },
  ]);
}
