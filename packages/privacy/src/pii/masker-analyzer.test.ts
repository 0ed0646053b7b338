import { afterEach, describe, expect, it, vi } from 'vitest';
import { recognize, useFakePresidio } from '../testing/fake-presidio.js';
import { PiiAnalyzerError, type PiiAnalyzer } from './pii-analyzer.js';
import type { PiiSpan } from './pii-kind.js';
import { createPiiMasker, type PiiMaskerOptions } from './pii-masker.js';
import { createPresidioAnalyzer } from './presidio-analyzer.js';

const KEY = 'test-key-0123456789abcdef0123456789';
const TOKEN = '[0-9a-f]{12}';

const presidio = useFakePresidio();

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  return {
    lines,
    info: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'info', message, fields }),
    warn: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'warn', message, fields }),
  };
}

function presidioMasker(options: Partial<PiiMaskerOptions> & { timeoutMs?: number } = {}) {
  const { timeoutMs, ...rest } = options;
  return createPiiMasker({
    key: KEY,
    analyzer: createPresidioAnalyzer({ url: presidio.url, timeoutMs }),
    ...rest,
  });
}

/** An analyzer that reports fixed spans and records the texts it was given. */
function stubAnalyzer(spans: (text: string) => PiiSpan[]) {
  const texts: string[] = [];
  const analyzer: PiiAnalyzer = {
    name: 'stub',
    analyze: ({ text }) => {
      texts.push(text);
      return Promise.resolve(spans(text));
    },
  };
  return { analyzer, texts };
}

const span = (text: string, kind: PiiSpan['kind'], value: string): PiiSpan => {
  const start = text.indexOf(value);
  return { kind, start, end: start + value.length, value };
};

describe('createPiiMasker with an analyzer', () => {
  it('masks the names and locations the analyzer finds, with the built-in findings', async () => {
    const masker = presidioMasker({ defaultRegion: 'IN' });
    const result = await masker.mask({
      tenantId: 't_1',
      text: 'Vikram Sharma from Pune (vikram@example.com), server 10.0.0.12',
    });
    expect(result.text).toMatch(
      new RegExp(
        `^\\[PERSON:${TOKEN}\\] from \\[LOCATION:${TOKEN}\\] \\(\\[EMAIL:${TOKEN}\\]\\), server \\[IP_ADDRESS:${TOKEN}\\]$`,
      ),
    );
    expect(result.fields).toEqual(['email', 'ip_address', 'location', 'person']);
    expect(masker.analyzerStats()).toMatchObject({ calls: 1, failures: 0 });
  });

  it('encrypts the new kinds so that reveal opens them', async () => {
    const masker = presidioMasker({ strategy: 'encrypt' });
    const text = 'Priya from Pune, on 10.0.0.12';
    const masked = await masker.mask({ tenantId: 't_1', text });
    expect(masked.text).toMatch(
      /^\[PERSON:enc:[\w-]+\] from \[LOCATION:enc:[\w-]+\], on \[IP_ADDRESS:enc:[\w-]+\]$/,
    );
    expect(masker.reveal({ tenantId: 't_1', text: masked.text })).toEqual({
      text,
      revealed: 3,
      failed: 0,
    });
  });

  it('places masks right after emoji (Presidio counts code points)', async () => {
    const masker = presidioMasker({ strategy: 'redact' });
    const result = await masker.mask({
      tenantId: 't_1',
      text: '🙏🏽 Thanks! 👨‍👩‍👧 Priya lives at 12 MG Road, Bengaluru 😀',
    });
    expect(result.text).toBe('🙏🏽 Thanks! 👨‍👩‍👧 [PERSON] lives at [LOCATION], [LOCATION] 😀');
  });

  it('masks a phone found by both once, with the token the built-in detector gives', async () => {
    const text = 'Ravi Kumar: +91 92410 63955';
    const merged = await presidioMasker().mask({ tenantId: 't_1', text });
    const builtin = await createPiiMasker({ key: KEY }).mask({ tenantId: 't_1', text });
    // Presidio's span is "92410 63955", the built-in one "+91 92410 63955": the longer wins.
    const phone = /\[PHONE:[0-9a-f]{12}\]/.exec(builtin.text)![0];
    expect(merged.text).toMatch(
      new RegExp(`^\\[PERSON:${TOKEN}\\]: ${phone.replace(/[[\]]/g, '\\$&')}$`),
    );
    expect(merged.spans).toBe(2);
  });

  it('gives an analyzer-only finding the token of its canonical value', async () => {
    const { analyzer } = stubAnalyzer((text) => [span(text, 'phone', '092410 63955')]);
    const merged = createPiiMasker({ key: KEY, analyzer, defaultRegion: 'IN' });
    const plain = createPiiMasker({ key: KEY, defaultRegion: 'IN' });
    const found = await merged.mask({ tenantId: 't_1', text: 'ref 092410 63955' });
    const expected = await plain.mask({ tenantId: 't_1', text: 'call +91 92410 63955' });
    expect(found.text.slice(4)).toBe(expected.text.slice(5));
  });

  it('gives one token to spellings of one name or IPv6 address', async () => {
    const whole = (kind: PiiSpan['kind']) =>
      stubAnalyzer((text) => [{ kind, start: 0, end: text.length, value: text }]).analyzer;
    const token = async (kind: PiiSpan['kind'], text: string) =>
      (await createPiiMasker({ key: KEY, analyzer: whole(kind) }).mask({ tenantId: 't_1', text }))
        .text;
    expect(await token('person', 'Vikram  Sharma')).toBe(await token('person', 'vikram sharma'));
    expect(await token('ip_address', '2001:DB8:0:0:0:0:0:1')).toBe(
      await token('ip_address', '2001:db8::1'),
    );
    expect(await token('person', 'Vikram Sharma')).not.toBe(await token('person', 'Vikram Rao'));
  });

  it('never lets an analyzer span displace a checksum-verified built-in finding', async () => {
    const text = 'card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00';
    const { analyzer } = stubAnalyzer(() => [
      // longer, of the same kind
      span(text, 'credit_card', 'card 4111 1111 1111 1111'),
      // of a kind that ranks higher
      span(text, 'credit_card', 'DE89 3704 0044 0532'),
      span(text, 'phone', '1111 1111 1111'),
    ]);
    const masker = createPiiMasker({ key: KEY, strategy: 'redact', analyzer });
    expect((await masker.mask({ tenantId: 't_1', text })).text).toBe(
      'card [CREDIT_CARD], IBAN [IBAN]',
    );
  });

  it('resolves other overlaps by kind, then length', async () => {
    const text = 'mail ravi.kumar@example.com or Ravi Kumar';
    const { analyzer } = stubAnalyzer(() => [
      span(text, 'person', 'ravi.kumar'),
      span(text, 'person', 'Ravi'),
      span(text, 'person', 'Ravi Kumar'),
    ]);
    const masker = createPiiMasker({ key: KEY, strategy: 'redact', analyzer });
    expect((await masker.mask({ tenantId: 't_1', text })).text).toBe('mail [EMAIL] or [PERSON]');
  });

  it('hides mask tokens from the analyzer and never reports a span inside one', async () => {
    const masker = presidioMasker({ strategy: 'redact' });
    const once = await masker.mask({ tenantId: 't_1', text: 'Priya from Pune' });
    expect(once.text).toBe('[PERSON] from [LOCATION]');
    expect(await masker.mask({ tenantId: 't_1', text: once.text })).toEqual({
      text: once.text,
      fields: [],
      spans: 0,
    });

    const masked = '[PERSON:5f0c1a9e2b7d] wrote';
    const { analyzer, texts } = stubAnalyzer(() => [span(masked, 'person', 'PERSON:5f0c')]);
    const stubbed = createPiiMasker({ key: KEY, analyzer });
    expect((await stubbed.mask({ tenantId: 't_1', text: masked })).text).toBe(masked);
    expect(texts).toEqual([`${' '.repeat(21)} wrote`]);
  });

  it('masks the analyzer-only kinds only when they are configured', async () => {
    const masker = presidioMasker({ kinds: ['person'], strategy: 'redact' });
    expect((await masker.mask({ tenantId: 't_1', text: 'Priya from Pune' })).text).toBe(
      '[PERSON] from Pune',
    );
    expect(presidio.requests[0]!.entities).toEqual(['PERSON']);
  });

  describe('when the analyzer fails', () => {
    const text = 'Priya: +91 92410 63955';
    const builtinOnly = new RegExp(`^Priya: \\[PHONE:${TOKEN}\\]$`);

    it('falls back to the built-in detectors after a timeout, and warns', async () => {
      presidio.answer = () => 'hang';
      const logger = recordingLogger();
      const masker = presidioMasker({ timeoutMs: 50, logger });
      expect((await masker.mask({ tenantId: 't_1', text })).text).toMatch(builtinOnly);
      expect(logger.lines).toEqual([
        {
          level: 'warn',
          message: 'PII analyzer failed: masking with the built-in detectors only',
          fields: expect.objectContaining({ analyzer: 'presidio', reason: 'timeout' }),
        },
      ]);
      expect(masker.analyzerStats()).toMatchObject({
        calls: 1,
        failures: 1,
        consecutiveFailures: 1,
        lastFailure: { reason: 'timeout' },
      });
    });

    it('falls back after a 500', async () => {
      presidio.answer = () => ({ status: 500, body: '{"error": "internal"}' });
      const masker = presidioMasker();
      expect((await masker.mask({ tenantId: 't_1', text })).text).toMatch(builtinOnly);
      expect(masker.analyzerStats()!.lastFailure).toMatchObject({
        reason: 'status',
        message: expect.stringMatching(/500/),
      });
    });

    it('falls back after malformed JSON', async () => {
      presidio.answer = () => ({ status: 200, body: '[{"entity_type": "PERSON",' });
      const masker = presidioMasker();
      expect((await masker.mask({ tenantId: 't_1', text })).text).toMatch(builtinOnly);
      expect(masker.analyzerStats()!.lastFailure!.reason).toBe('invalid_response');
    });

    it('falls back when a custom analyzer throws anything', async () => {
      const analyzer: PiiAnalyzer = {
        name: 'custom',
        analyze: () => Promise.reject(new Error('boom')),
      };
      const masker = createPiiMasker({ key: KEY, analyzer });
      expect((await masker.mask({ tenantId: 't_1', text })).text).toMatch(builtinOnly);
      expect(masker.analyzerStats()!.lastFailure!.reason).toBe('error');
    });

    it("refuses the text with onAnalyzerFailure: 'reject'", async () => {
      presidio.answer = () => ({ status: 503, body: '' });
      const logger = recordingLogger();
      const masker = presidioMasker({ onAnalyzerFailure: 'reject', logger });
      const error = await masker.mask({ tenantId: 't_1', text }).catch((caught: unknown) => caught);
      expect(PiiAnalyzerError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'status', status: 503 });
      expect(logger.lines[0]).toMatchObject({
        level: 'warn',
        message: 'PII analyzer failed: texts are refused until it answers again',
      });
    });

    describe('warnings', () => {
      afterEach(() => {
        vi.useRealTimers();
      });

      it('warns at most once a minute, then with the count, and says when it answers again', async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(new Date('2026-01-01T10:00:00Z'));
        presidio.answer = () => ({ status: 500, body: '' });
        const logger = recordingLogger();
        const masker = presidioMasker({ logger });
        for (let call = 0; call < 5; call += 1) await masker.mask({ tenantId: 't_1', text });
        expect(logger.lines).toHaveLength(1);

        vi.setSystemTime(new Date('2026-01-01T10:01:00Z'));
        await masker.mask({ tenantId: 't_1', text });
        expect(logger.lines).toHaveLength(2);
        expect(logger.lines[1]!.fields).toMatchObject({ unloggedFailures: 4 });
        expect(masker.analyzerStats()).toMatchObject({
          calls: 6,
          failures: 6,
          consecutiveFailures: 6,
          lastFailure: { at: '2026-01-01T10:01:00.000Z' },
        });

        presidio.answer = recognize;
        expect((await masker.mask({ tenantId: 't_1', text })).text).toMatch(
          new RegExp(`^\\[PERSON:${TOKEN}\\]: \\[PHONE:${TOKEN}\\]$`),
        );
        expect(logger.lines[2]).toEqual({
          level: 'info',
          message: 'PII analyzer answers again',
          fields: { analyzer: 'presidio', failures: 6 },
        });
        expect(masker.analyzerStats()).toMatchObject({
          calls: 7,
          failures: 6,
          consecutiveFailures: 0,
        });
      });
    });
  });

  it('reports no analyzer stats without an analyzer, and checks its options', () => {
    expect(createPiiMasker({ key: KEY }).analyzerStats()).toBeNull();
    expect(() => createPiiMasker({ key: KEY, onAnalyzerFailure: 'drop' as never })).toThrow(
      /onAnalyzerFailure must be one of builtin, reject/,
    );
    expect(() => createPiiMasker({ key: KEY, analyzer: {} as never })).toThrow(
      /analyzer must have an analyze/,
    );
  });
});
