/** Channels a person can reach an agent on. */
export type Channel = 'voice' | 'whatsapp' | 'sms' | 'email' | 'web' | 'app';

/** Every {@link Channel}, in a stable order. */
export const CHANNELS: readonly Channel[] = Object.freeze([
  'voice',
  'whatsapp',
  'sms',
  'email',
  'web',
  'app',
]);

/**
 * The space a canonical identifier lives in. Channels that share a namespace share identities:
 * a number that calls on `voice` and writes on `whatsapp` is one `phone` identifier.
 */
export type IdentifierNamespace = 'phone' | 'email' | 'web' | 'app';

/** An identifier in canonical form: equal values in one namespace are the same person. */
export interface CanonicalIdentifier {
  /** The namespace, derived from the channel with {@link namespaceOf}. */
  namespace: IdentifierNamespace;
  /** The canonical value: E.164 with `+` for phones, a lower-case address for emails. */
  value: string;
}

const NAMESPACES: Readonly<Record<Channel, IdentifierNamespace>> = {
  voice: 'phone',
  whatsapp: 'phone',
  sms: 'phone',
  email: 'email',
  web: 'web',
  app: 'app',
};

/** Whether a value is one of the {@link CHANNELS}; for input that is not typed yet. */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(NAMESPACES, value);
}

/** The namespace of a channel. voice, sms, whatsapp share the `phone` namespace. */
export function namespaceOf(channel: Channel): IdentifierNamespace {
  return NAMESPACES[channel];
}

/** Whether a channel carries phone numbers (voice, sms, whatsapp). */
export function isPhoneChannel(channel: Channel): boolean {
  return isChannel(channel) && NAMESPACES[channel] === 'phone';
}
