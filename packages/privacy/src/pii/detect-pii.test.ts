import { describe, expect, it } from 'vitest';
import { detectPii } from './detect-pii.js';
import { DEFAULT_PII_KINDS, PII_KINDS, type PiiKind } from './pii-kind.js';

/** `[kind, value]` pairs found, in order. */
function found(
  text: string,
  options: Parameters<typeof detectPii>[1] = {},
): Array<[PiiKind, string]> {
  return detectPii(text, options).map((span) => [span.kind, span.value]);
}

describe('detectPii', () => {
  it('returns spans with offsets into the text, sorted by start', () => {
    const text = 'Mail vikram@example.com or call +91 92410 63955.';
    expect(detectPii(text)).toEqual([
      { kind: 'email', start: 5, end: 23, value: 'vikram@example.com' },
      { kind: 'phone', start: 32, end: 47, value: '+91 92410 63955' },
    ]);
  });

  it('keeps dob out of the defaults', () => {
    expect(PII_KINDS).toContain('dob');
    expect(DEFAULT_PII_KINDS).not.toContain('dob');
    expect(found('I was born on 12/03/1990.')).toEqual([]);
    expect(found('I was born on 12/03/1990.', { kinds: ['dob'] })).toEqual([['dob', '12/03/1990']]);
  });

  it('lists names, locations and IP addresses among the defaults but never finds them itself', () => {
    expect(DEFAULT_PII_KINDS).toEqual(expect.arrayContaining(['person', 'location', 'ip_address']));
    expect(found('Vikram Sharma from Pune, server 10.0.0.12')).toEqual([]);
  });

  describe('emails', () => {
    it.each([
      [
        'write to Priya.Sharma+orders@mail.example.co.in today',
        'Priya.Sharma+orders@mail.example.co.in',
      ],
      ['(a.b@example.org)', 'a.b@example.org'],
      ['mail me at x@y.com.', 'x@y.com'],
    ])('finds the address in %j', (text, value) => {
      expect(found(text)).toEqual([['email', value]]);
    });

    it.each(['9241063955@upi', 'user@localhost', '@example.com', 'a@b.c'])(
      'finds nothing in %j',
      (text) => expect(found(text)).toEqual([]),
    );
  });

  describe('phones', () => {
    it.each([
      ['+91 92410 63955', 'IN'],
      ['09241063955', 'IN'],
      ['92410-63955', 'IN'],
      ['0091 92410 63955', 'IN'],
      ['+1 (415) 555-0100', undefined],
      ['(415) 555-0100', 'US'],
      ['+44 20 7946 0958', undefined],
    ])('finds %j (region %s)', (phone, region) => {
      expect(found(`call me on ${phone} please`, { defaultRegion: region })).toEqual([
        ['phone', phone],
      ]);
    });

    it('needs a region for national formats', () => {
      expect(found('call me on 09241063955')).toEqual([]);
      expect(found('call me on 09241063955', { defaultRegion: 'in' })).toEqual([
        ['phone', '09241063955'],
      ]);
    });

    it.each([
      'order #4521 arrived',
      'my order 123456 is late',
      'order 9876543210 was charged twice',
      'order no. 9876543210 was charged twice',
      'AWB 123456789012 via BlueDart',
      'ticket #4155550100',
      'txn id 400123456789 failed',
      'I paid ₹499 and then $1,299.00',
      'Rs. 9241063955 was debited',
      'it happened in 2024 at 10:30',
      'delivered on 12.03.2024 and 2024-03-12',
      'tracking 1Z999AA10123456784',
      'between 2019 and 2024',
    ])('does not take %j for a phone', (text) => {
      expect(found(text, { defaultRegion: 'IN' })).toEqual([]);
    });
  });

  describe('payment cards', () => {
    it.each([
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      '3782 822463 10005',
    ])('finds %j', (card) =>
      expect(found(`card ${card} exp 12/27`)).toEqual([['credit_card', card]]),
    );

    it('does not mask a 16-digit number that fails Luhn, as a card or anything else', () => {
      expect(found('ref 4111 1111 1111 1112 please', { defaultRegion: 'IN' })).toEqual([]);
      expect(found('ref 1234567812345678', { defaultRegion: 'IN' })).toEqual([]);
    });

    it('does not take a Luhn-valid number without a real issuer prefix for a card', () => {
      expect(found('id 9999 9999 9999 9995')).toEqual([]);
    });

    it('leaves digits glued to letters alone', () => {
      expect(found('TXN4111111111111111 done')).toEqual([]);
    });

    it('masks a card that also parses as a phone once, as a card', () => {
      const text = 'card 4968 5910 3583 9364 thanks';
      expect(found(text, { defaultRegion: 'DE', kinds: ['phone'] })).toEqual([
        ['phone', '4968 5910 3583 9364'],
      ]);
      expect(detectPii(text, { defaultRegion: 'DE' })).toEqual([
        { kind: 'credit_card', start: 5, end: 24, value: '4968 5910 3583 9364' },
      ]);
    });

    it('separates a phone and a card written side by side', () => {
      expect(found('9241063955 4111111111111111', { defaultRegion: 'IN' })).toEqual([
        ['phone', '9241063955'],
        ['credit_card', '4111111111111111'],
      ]);
    });
  });

  describe('IBAN, SSN, Aadhaar, PAN', () => {
    it.each([
      ['DE89 3704 0044 0532 0130 00', 'iban'],
      ['GB82WEST12345698765432', 'iban'],
      ['de89370400440532013000', 'iban'],
      ['123-45-6789', 'ssn'],
      ['2341 2341 2346', 'aadhaar'],
      ['498765432102', 'aadhaar'],
      ['ABCPE1234F', 'pan'],
      ['abcpe1234f', 'pan'],
    ] as const)('finds %j as %s', (value, kind) => {
      expect(found(`mine is ${value}, thanks`)).toEqual([[kind, value]]);
    });

    it.each([
      'DE89 3704 0044 0532 0130 01',
      'DE89 3704 0044 0532 0130',
      '000-12-3456',
      '666-12-3456',
      '923-45-6789',
      '123-00-6789',
      '123-45-0000',
      '2341 2341 2345',
      '1341 2341 2346',
      'ABCDE1234F',
      'AbCpE1234f',
    ])('finds nothing in %j', (value) => {
      expect(found(`mine is ${value}, thanks`)).toEqual([]);
    });

    it('cuts an IBAN at its country length', () => {
      expect(found('IBAN DE89 3704 0044 0532 0130 00 is mine')).toEqual([
        ['iban', 'DE89 3704 0044 0532 0130 00'],
      ]);
    });
  });

  describe('keyword-anchored numbers', () => {
    it.each([
      ['my account no. 123456789012 at SBI', '123456789012'],
      ['a/c 9876543210123', '9876543210123'],
      ['Acct #: 0012 3456 7890', '0012 3456 7890'],
      ['bank account number is 50100234567891', '50100234567891'],
    ])('finds only the digits of the bank account in %j', (text, digits) => {
      expect(found(text, { kinds: ['bank_account'] })).toEqual([['bank_account', digits]]);
    });

    it('needs the keyword and 9-18 digits for a bank account', () => {
      expect(found('number 123456789012', { kinds: ['bank_account'] })).toEqual([]);
      expect(found('account ending 4521', { kinds: ['bank_account'] })).toEqual([]);
    });

    it.each([
      ['Your OTP is 482913.', '482913'],
      ['otp: 4829', '4829'],
      ['verification code for login is 482 913', '482 913'],
      ['PIN 7391', '7391'],
      ['use passcode 12345678', '12345678'],
    ])('finds only the digits of the OTP in %j', (text, digits) => {
      expect(found(text)).toEqual([['otp', digits]]);
    });

    it.each([
      'zip code 94107',
      'PIN code 560001',
      'error code 5003',
      'promo code 2024',
      'code 123',
    ])('does not take %j for an OTP', (text) => expect(found(text)).toEqual([]));
  });

  describe('dates of birth (opt-in)', () => {
    const dob = { kinds: ['dob'] as PiiKind[] };

    it.each([
      ['born on 12/03/1990', '12/03/1990'],
      ['DOB: 1988-02-29', '1988-02-29'],
      ['date of birth 29 Feb 1988', '29 Feb 1988'],
      ['March 5, 1979 is my birthday', 'March 5, 1979'],
    ])('finds the date in %j', (text, value) => {
      expect(found(text, dob)).toEqual([['dob', value]]);
    });

    it('checks the calendar', () => {
      expect(found('DOB: 1985-02-29', dob)).toEqual([]);
      expect(found('born 31/04/1990', dob)).toEqual([]);
      expect(found('born 2000-02-29', dob)).toEqual([['dob', '2000-02-29']]);
    });

    it('leaves dates without a birth keyword alone', () => {
      expect(found('Delivered on 12/03/2024, ordered 2024-03-01.', dob)).toEqual([]);
    });
  });

  it('never returns overlapping spans', () => {
    const text =
      'Card 4111 1111 1111 1111, phone +91 92410 63955, Aadhaar 2341 2341 2346, ' +
      'account no 123456789012, IBAN DE89 3704 0044 0532 0130 00, OTP 482913, ' +
      'mail a@b.co, PAN ABCPE1234F, SSN 123-45-6789, 919241063955';
    const spans = detectPii(text, { defaultRegion: 'IN' });
    for (let index = 1; index < spans.length; index += 1) {
      expect(spans[index]!.start).toBeGreaterThanOrEqual(spans[index - 1]!.end);
    }
    expect(spans.map((span) => span.kind)).toEqual([
      'credit_card',
      'phone',
      'aadhaar',
      'bank_account',
      'iban',
      'otp',
      'email',
      'pan',
      'ssn',
      'phone',
    ]);
  });

  it('does not report mask tokens', () => {
    expect(
      found('[PHONE:123456789012] [EMAIL] [AADHAAR:234123412346]', { defaultRegion: 'IN' }),
    ).toEqual([]);
  });

  it('rejects unknown kinds and regions with a TypeError', () => {
    expect(() => detectPii('x', { kinds: ['passport' as PiiKind] })).toThrow(
      /unknown PII kind "passport"/,
    );
    expect(() => detectPii('x', { defaultRegion: 'XX' })).toThrow(/defaultRegion/);
  });

  it('scans 50 kB of text', () => {
    const text = 'Call +91 92410 63955 about order 123456, card 4111 1111 1111 1111. '.repeat(760);
    expect(text.length).toBeGreaterThan(50_000);
    const spans = detectPii(text, { defaultRegion: 'IN' });
    expect(spans).toHaveLength(1520);
  });
});
