import { describe, expect, it } from 'vitest';
import { type Channel, type IdentifierNamespace, isPhoneChannel } from './channels.js';
import { IdentifierError } from './identifier-error.js';
import { normalizeIdentifier, type NormalizeInput } from './normalize.js';

/** A small seeded generator (mulberry32), so that a failure replays. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const random = createRandom(20_240_917);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const repeat = (count: number, make: () => string): string =>
  Array.from({ length: count }, make).join('');

const PHONE_CHANNELS: readonly Channel[] = ['voice', 'sms', 'whatsapp'];
const REGIONS = [undefined, 'IN', 'US', 'GB', 'DE', 'BR', 'JP', 'AE'];
const PHONE_PREFIXES = ['', '', '+', '+', '00', 'wa:', 'tel:', 'tel:+', 'whatsapp:', 'SMS:', '0'];
const CALLING_CODES = ['', '1', '44', '91', '49', '33', '81', '86', '7', '55', '971', '880', '882'];
const SEPARATORS = ['', '', '', ' ', '-', '.', '(', ')', '/', '\u00a0', '\u200b', '\u200e'];
const DIGIT_ZEROS = [0x30, 0x30, 0x30, 0xff10, 0x660, 0x6f0, 0x966];
const LOCAL_CHARACTERS = [...'abcXYZ019._+-', 'é', 'ß', 'İ', 'Σ', 'ﬁ', 'ℌ', '\u0301', '\u200d'];
const DOMAINS = ['example.com', 'EXAMPLE.com', 'bücher.de', 'xn--bcher-kva.de', '例え。テスト'];
const OPAQUE_CHARACTERS = [
  ...'aZ09_-:/=',
  ' ',
  '  ',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\u202e',
  '\ufeff',
  'ｕ',
  'ﬁ',
  'ℌ',
  'e\u0301',
  'e\u200d\u0301',
  '\u1100',
  '\u1161',
  'Ω',
  'İ',
  '😀',
  '\u00ad',
  '\ufdfa',
];

function digit(value: number): string {
  return String.fromCodePoint(pick(DIGIT_ZEROS) + value);
}

function phoneInput(): NormalizeInput {
  const body = repeat(4 + Math.floor(random() * 10), () => {
    const value = Math.floor(random() * 10);
    return `${digit(value)}${pick(SEPARATORS)}`;
  });
  return {
    channel: pick(PHONE_CHANNELS),
    id: `${pick(SEPARATORS)}${pick(PHONE_PREFIXES)}${pick(CALLING_CODES)}${body}`,
    defaultRegion: pick(REGIONS),
  };
}

function emailInput(): NormalizeInput {
  const local = repeat(1 + Math.floor(random() * 8), () => pick(LOCAL_CHARACTERS));
  const prefix = random() < 0.2 ? 'mailto:' : '';
  const domain = random() < 0.5 ? pick(DOMAINS) : pick(DOMAINS).toUpperCase();
  return { channel: 'email', id: ` ${prefix}${local}@${domain}` };
}

function opaqueInput(): NormalizeInput {
  const id = repeat(1 + Math.floor(random() * 12), () => pick(OPAQUE_CHARACTERS));
  return { channel: random() < 0.5 ? 'web' : 'app', id };
}

const FIXED: NormalizeInput[] = [
  { channel: 'voice', id: '+91 92410 63955' },
  { channel: 'sms', id: '09241063955', defaultRegion: 'IN' },
  { channel: 'whatsapp', id: 'wa:919241063955' },
  { channel: 'voice', id: '+1 (415) 555-0100' },
  { channel: 'voice', id: '020 7946 0958', defaultRegion: 'GB' },
  { channel: 'voice', id: '+44 (0)20 7946 0958' },
  { channel: 'voice', id: '+39 06 1234 5678' },
  { channel: 'email', id: 'Ann@Bücher.DE' },
  { channel: 'web', id: ' sess 1 ' },
];

const INPUTS: NormalizeInput[] = [
  ...FIXED,
  ...Array.from({ length: 3000 }, phoneInput),
  ...Array.from({ length: 1000 }, emailInput),
  ...Array.from({ length: 1000 }, opaqueInput),
];

describe('idempotence', () => {
  // Thousands of generated inputs: allow for a loaded CI machine.
  it(
    'gives back every canonical value unchanged, on every channel of its namespace',
    { timeout: 60_000 },
    () => {
      const accepted: Record<IdentifierNamespace, number> = { phone: 0, email: 0, web: 0, app: 0 };
      for (const input of INPUTS) {
        let value: string;
        try {
          const canonical = normalizeIdentifier(input);
          value = canonical.value;
          accepted[canonical.namespace] += 1;
        } catch (error) {
          if (!IdentifierError.isInstance(error)) throw error;
          continue;
        }
        expect(value.length, JSON.stringify(input)).toBeGreaterThan(0);
        expect(value.length, JSON.stringify(input)).toBeLessThanOrEqual(256);
        // A canonical phone needs no region, and reads the same on every phone channel.
        const channels = isPhoneChannel(input.channel) ? PHONE_CHANNELS : [input.channel];
        for (const channel of channels) {
          expect(normalizeIdentifier({ channel, id: value }).value, JSON.stringify(input)).toBe(
            value,
          );
        }
      }
      // Enough of the generated inputs must be valid for the property to mean something.
      expect(accepted.phone).toBeGreaterThan(600);
      expect(accepted.email).toBeGreaterThan(500);
      expect(accepted.web + accepted.app).toBeGreaterThan(500);
    },
  );

  it('produces E.164 with a + for every accepted phone', () => {
    for (const input of INPUTS.filter((candidate) => isPhoneChannel(candidate.channel))) {
      try {
        expect(normalizeIdentifier(input).value).toMatch(/^\+[1-9]\d{1,14}$/u);
      } catch (error) {
        if (!IdentifierError.isInstance(error)) throw error;
      }
    }
  });
});
