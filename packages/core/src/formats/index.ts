import type { ContextFormat } from '../wire/common.js';
import { appFormatter } from './app.js';
import type { ContextFormatter } from './formatter.js';
import { smsFormatter } from './sms.js';
import { voiceFormatter } from './voice.js';
import { webFormatter } from './web.js';
import { whatsappFormatter } from './whatsapp.js';

/** The formatter of every context format. */
export const FORMATTERS: Readonly<Record<ContextFormat, ContextFormatter>> = {
  voice: voiceFormatter,
  whatsapp: whatsappFormatter,
  web: webFormatter,
  sms: smsFormatter,
  app: appFormatter,
};

export type { ContextFormatter, FormatContext, Rendered } from './formatter.js';
export { packContext, type PackedContext } from './pack.js';
export { countTokens } from './tokens.js';
export { SMS_MAX_CHARACTERS } from './sms.js';
export { speakable } from './voice.js';
