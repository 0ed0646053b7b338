import { describe, expect, it } from 'vitest';
import { createPiiMasker } from './pii-masker.js';

const KEY = 'test-key-0123456789abcdef0123456789';
const OTHER_KEY = 'another-key-0123456789abcdef012345';

describe('createPiiMasker', () => {
  describe('token strategy (default)', () => {
    const masker = createPiiMasker({ key: KEY, defaultRegion: 'IN' });

    it('replaces each finding with its kind and 12 hex of a keyed hash', async () => {
      const result = await masker.mask({ tenantId: 't_1', text: 'Mail vikram@example.com today' });
      expect(result.text).toMatch(/^Mail \[EMAIL:[0-9a-f]{12}\] today$/);
      expect(result.fields).toEqual(['email']);
      expect(result.spans).toBe(1);
    });

    it('gives one token to every format of one phone number', async () => {
      const formats = [
        '+91 92410 63955',
        '+919241063955',
        '09241063955',
        '919241063955',
        '0091 92410 63955',
        '92410-63955',
      ];
      const tokens = await Promise.all(
        formats.map(
          async (phone) => (await masker.mask({ tenantId: 't_1', text: `call ${phone}` })).text,
        ),
      );
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).toMatch(/^call \[PHONE:[0-9a-f]{12}\]$/);
    });

    it('normalises emails, cards and IBANs before hashing', async () => {
      const token = async (text: string) => (await masker.mask({ tenantId: 't_1', text })).text;
      expect(await token('Vikram@Example.COM')).toBe(await token('vikram@example.com'));
      expect(await token('4111 1111 1111 1111')).toBe(await token('4111-1111-1111-1111'));
      expect(await token('DE89 3704 0044 0532 0130 00')).toBe(
        await token('DE89370400440532013000'),
      );
      expect(await token('a@example.com')).not.toBe(await token('b@example.com'));
    });

    it('gives equal values equal tokens within a tenant and different tokens across tenants', async () => {
      const text = 'card 4111 1111 1111 1111';
      const first = (await masker.mask({ tenantId: 't_a', text })).text;
      expect((await masker.mask({ tenantId: 't_a', text })).text).toBe(first);
      expect((await masker.mask({ tenantId: 't_b', text })).text).not.toBe(first);
      expect(
        (await createPiiMasker({ key: OTHER_KEY }).mask({ tenantId: 't_a', text })).text,
      ).not.toBe(first);
    });

    it('does not reuse the hash of one kind for another', async () => {
      const otp = (await masker.mask({ tenantId: 't_1', text: 'OTP 482913' })).text;
      const account = (await masker.mask({ tenantId: 't_1', text: 'account 482913482913' })).text;
      expect(otp).toMatch(/^OTP \[OTP:[0-9a-f]{12}\]$/);
      expect(account).toMatch(/^account \[BANK_ACCOUNT:[0-9a-f]{12}\]$/);
    });

    it('masks only the digits of keyword-anchored numbers', async () => {
      const result = await masker.mask({
        tenantId: 't_1',
        text: 'Account no. 123456789012, OTP is 482913',
      });
      expect(result.text).toMatch(
        /^Account no\. \[BANK_ACCOUNT:[0-9a-f]{12}\], OTP is \[OTP:[0-9a-f]{12}\]$/,
      );
      expect(result.fields).toEqual(['bank_account', 'otp']);
    });

    it('gives clean output when findings overlap', async () => {
      const result = await masker.mask({
        tenantId: 't_1',
        text: 'Aadhaar 2341 2341 2346 and card 4111 1111 1111 1111 and SSN 123-45-6789, 919241063955',
      });
      expect(result.text).toMatch(
        /^Aadhaar \[AADHAAR:[0-9a-f]{12}\] and card \[CREDIT_CARD:[0-9a-f]{12}\] and SSN \[SSN:[0-9a-f]{12}\], \[PHONE:[0-9a-f]{12}\]$/,
      );
      expect(result.fields).toEqual(['aadhaar', 'credit_card', 'phone', 'ssn']);
      expect(result.spans).toBe(4);
    });

    it('is idempotent: masking masked text changes nothing', async () => {
      const text =
        'Vikram (vikram@example.com, +91 92410 63955) paid with 4111 1111 1111 1111; ' +
        'PAN ABCPE1234F, account no 123456789012, IBAN DE89 3704 0044 0532 0130 00, OTP 4829.';
      const once = await masker.mask({ tenantId: 't_1', text });
      const twice = await masker.mask({ tenantId: 't_1', text: once.text });
      expect(once.spans).toBe(7);
      expect(twice).toEqual({ text: once.text, fields: [], spans: 0 });
    });

    it('leaves text without personal data unchanged', async () => {
      const text = 'Order #4521 for ₹499 arrives on 12/03/2024 at 10:30.';
      expect(await masker.mask({ tenantId: 't_1', text })).toEqual({ text, fields: [], spans: 0 });
    });

    it('lets one call override the default region', async () => {
      expect((await masker.mask({ tenantId: 't_1', text: 'call (415) 555-0100' })).spans).toBe(1);
      expect(
        (await masker.mask({ tenantId: 't_1', text: 'call (415) 555-0100', defaultRegion: 'US' }))
          .text,
      ).toMatch(/^call \[PHONE:[0-9a-f]{12}\]$/);
    });

    it('masks 50 kB of text', async () => {
      const text = 'Reach me at +91 92410 63955 or ravi@example.in about order 771204. '.repeat(
        760,
      );
      const result = await masker.mask({ tenantId: 't_1', text });
      expect(result.spans).toBe(1520);
      expect(result.text).not.toContain('92410');
    });
  });

  describe('redact strategy', () => {
    it('replaces each finding with its kind only', async () => {
      const masker = createPiiMasker({ key: KEY, strategy: 'redact' });
      expect(
        await masker.mask({
          tenantId: 't_1',
          text: 'PAN ABCPE1234F, mail a@b.co, SSN 123-45-6789',
        }),
      ).toEqual({
        text: 'PAN [PAN], mail [EMAIL], SSN [SSN]',
        fields: ['email', 'pan', 'ssn'],
        spans: 3,
      });
    });
  });

  describe('encrypt strategy', () => {
    const masker = createPiiMasker({ key: KEY, strategy: 'encrypt', defaultRegion: 'IN' });
    const text = 'Call +91 92410 63955 or mail Vikram@Example.com; card 4111 1111 1111 1111.';

    it('writes [KIND:enc:<base64url>] tokens', async () => {
      const masked = await masker.mask({ tenantId: 't_1', text });
      expect(masked.text).toMatch(
        /^Call \[PHONE:enc:[A-Za-z0-9_-]+\] or mail \[EMAIL:enc:[A-Za-z0-9_-]+\]; card \[CREDIT_CARD:enc:[A-Za-z0-9_-]+\]\.$/,
      );
      expect(masked.fields).toEqual(['credit_card', 'email', 'phone']);
    });

    it('reveals the original text with the right key and tenant', async () => {
      const masked = await masker.mask({ tenantId: 't_1', text });
      expect(masker.reveal({ tenantId: 't_1', text: masked.text })).toEqual({
        text,
        revealed: 3,
        failed: 0,
      });
      const sameKey = createPiiMasker({ key: KEY, strategy: 'token' });
      expect(sameKey.reveal({ tenantId: 't_1', text: masked.text }).text).toBe(text);
    });

    it('reveals nothing with another tenant or another key', async () => {
      const masked = await masker.mask({ tenantId: 't_1', text });
      expect(masker.reveal({ tenantId: 't_2', text: masked.text })).toEqual({
        text: masked.text,
        revealed: 0,
        failed: 3,
      });
      const stranger = createPiiMasker({ key: OTHER_KEY, strategy: 'encrypt' });
      expect(stranger.reveal({ tenantId: 't_1', text: masked.text })).toEqual({
        text: masked.text,
        revealed: 0,
        failed: 3,
      });
    });

    it('refuses a token that was edited or moved to another kind', async () => {
      const masked = (await masker.mask({ tenantId: 't_1', text: 'mail a@example.com' })).text;
      const payload = /enc:([A-Za-z0-9_-]+)/.exec(masked)![1]!;
      const flipped = payload.slice(0, 20) + (payload[20] === 'A' ? 'B' : 'A') + payload.slice(21);
      expect(
        masker.reveal({ tenantId: 't_1', text: masked.replace(payload, flipped) }).failed,
      ).toBe(1);
      expect(
        masker.reveal({ tenantId: 't_1', text: masked.replace('EMAIL', 'PHONE') }).failed,
      ).toBe(1);
    });

    it('encrypts equal values of a tenant to equal tokens, and differently across tenants', async () => {
      const mask = async (tenantId: string) =>
        (await masker.mask({ tenantId, text: 'mail a@example.com' })).text;
      expect(await mask('t_1')).toBe(await mask('t_1'));
      expect(await mask('t_1')).not.toBe(await mask('t_2'));
    });

    it('is idempotent', async () => {
      const once = (await masker.mask({ tenantId: 't_1', text })).text;
      expect(await masker.mask({ tenantId: 't_1', text: once })).toEqual({
        text: once,
        fields: [],
        spans: 0,
      });
    });
  });

  describe('options', () => {
    it('masks only the configured kinds', async () => {
      const masker = createPiiMasker({ key: KEY, kinds: ['email'] });
      expect((await masker.mask({ tenantId: 't', text: 'a@b.co +91 92410 63955' })).text).toMatch(
        /^\[EMAIL:[0-9a-f]{12}\] \+91 92410 63955$/,
      );
    });

    it('masks dates of birth only when asked to', async () => {
      const text = 'born on 12/03/1990';
      expect(
        (await createPiiMasker({ key: KEY, strategy: 'redact' }).mask({ tenantId: 't', text }))
          .text,
      ).toBe(text);
      expect(
        (
          await createPiiMasker({ key: KEY, strategy: 'redact', kinds: ['dob'] }).mask({
            tenantId: 't',
            text,
          })
        ).text,
      ).toBe('born on [DOB]');
    });

    it('accepts a key given as bytes', async () => {
      const bytes = new TextEncoder().encode(KEY);
      const fromBytes = (
        await createPiiMasker({ key: bytes }).mask({
          tenantId: 't',
          text: 'a@b.co',
        })
      ).text;
      const fromString = (
        await createPiiMasker({ key: KEY }).mask({ tenantId: 't', text: 'a@b.co' })
      ).text;
      expect(fromBytes).toBe(fromString);
    });

    it.each([
      [{ key: 'short' }, /at least 16 bytes, got 5/],
      [{ key: new Uint8Array(8) }, /at least 16 bytes, got 8/],
      [{ key: 42 }, /key must be a string or a Uint8Array/],
      [{ key: KEY, strategy: 'hash' }, /strategy must be one of token, redact, encrypt/],
      [{ key: KEY, kinds: ['passport'] }, /unknown PII kind "passport"/],
      [{ key: KEY, defaultRegion: 'ZZ' }, /defaultRegion/],
    ])('rejects %j', (options, message) => {
      expect(() => createPiiMasker(options as never)).toThrow(message);
    });

    it('rejects an empty tenant id', async () => {
      const masker = createPiiMasker({ key: KEY });
      await expect(masker.mask({ tenantId: '', text: 'x' })).rejects.toThrow(/tenantId/);
      expect(() => masker.reveal({ tenantId: '', text: 'x' })).toThrow(/tenantId/);
    });
  });
});
