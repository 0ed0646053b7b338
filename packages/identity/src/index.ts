export {
  CHANNELS,
  type CanonicalIdentifier,
  type Channel,
  type IdentifierNamespace,
  isPhoneChannel,
  namespaceOf,
} from './channels.js';
export { IdentifierError, type IdentifierErrorReason } from './identifier-error.js';
export {
  createIdentifierNormalizer,
  type IdentifierNormalizer,
  type IdentifierNormalizerOptions,
  type NormalizeInput,
  normalizeIdentifier,
} from './normalize.js';
export { parseChannelIdentifier } from './parse-channel-identifier.js';
export { redactIdentifier } from './redact.js';
export { isSupportedRegion } from './regions.js';
