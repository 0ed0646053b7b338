import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useFakePresidio } from '../testing/fake-presidio.js';
import { PiiAnalyzerError } from './pii-analyzer.js';
import { DEFAULT_PII_KINDS } from './pii-kind.js';
import { createPresidioAnalyzer } from './presidio-analyzer.js';

const presidio = useFakePresidio();

const analyze = (text: string, options: { kinds?: typeof DEFAULT_PII_KINDS } = {}) =>
  createPresidioAnalyzer({ url: presidio.url }).analyze({
    text,
    kinds: options.kinds ?? DEFAULT_PII_KINDS,
  });

/** The error a call rejected with. */
async function failure(call: Promise<unknown>): Promise<PiiAnalyzerError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(PiiAnalyzerError.isInstance(error)).toBe(true);
  return error as PiiAnalyzerError;
}

describe('createPresidioAnalyzer', () => {
  it('asks POST /analyze for the entity types of the wanted kinds, with language and threshold', async () => {
    const spans = await analyze('Vikram Sharma moved to Pune on 12/03/2024');
    expect(spans).toEqual([
      { kind: 'person', start: 0, end: 13, value: 'Vikram Sharma' },
      { kind: 'location', start: 23, end: 27, value: 'Pune' },
    ]);
    expect(presidio.paths).toEqual(['/analyze']);
    const [request] = presidio.requests;
    expect(request).toMatchObject({ language: 'en', score_threshold: 0.5 });
    expect(request!.entities).toEqual(
      expect.arrayContaining(['PERSON', 'LOCATION', 'IP_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']),
    );
    expect(request!.entities).not.toContain('DATE_TIME');
  });

  it('converts code-point offsets to UTF-16 after emoji and other astral characters', async () => {
    const text = '🙏🏽 Thanks! 👨‍👩‍👧 Priya from 𝐁ig Bengaluru, IP 10.0.0.12';
    const spans = await analyze(text);
    expect(spans.map((span) => span.value)).toEqual(['Priya', 'Bengaluru', '10.0.0.12']);
    for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.value);
  });

  it('asks only for the entity types of the kinds given, and not at all when none map', async () => {
    await analyze('Priya in Pune', { kinds: ['person'] });
    expect(presidio.requests[0]!.entities).toEqual(['PERSON']);
    expect(await analyze('Priya in Pune', { kinds: ['otp', 'dob'] })).toEqual([]);
    expect(await analyze('   ', { kinds: ['person'] })).toEqual([]);
    expect(presidio.requests).toHaveLength(1);
  });

  it('drops unmapped types, low scores, and spans out of range or inverted', async () => {
    presidio.answer = () => [
      { entity_type: 'PERSON', start: 0, end: 5, score: 0.9 },
      { entity_type: 'DATE_TIME', start: 0, end: 5, score: 0.9 },
      { entity_type: 'NRP', start: 0, end: 5, score: 0.9 },
      { entity_type: 'PERSON', start: 0, end: 5, score: 0.2 },
      { entity_type: 'LOCATION', start: 9, end: 99, score: 0.9 },
      { entity_type: 'LOCATION', start: 13, end: 9, score: 0.9 },
      { entity_type: 'LOCATION', start: -1, end: 4, score: 0.9 },
      { entity_type: 'LOCATION', start: 9, end: 9, score: 0.9 },
    ];
    expect(await analyze('Priya in Pune')).toEqual([
      { kind: 'person', start: 0, end: 5, value: 'Priya' },
    ]);
  });

  it('takes more entity types and other kinds for known ones', async () => {
    presidio.answer = () => [
      { entity_type: 'US_ITIN', start: 5, end: 16, score: 0.9 },
      { entity_type: 'LOCATION', start: 0, end: 4, score: 0.9 },
    ];
    const analyzer = createPresidioAnalyzer({
      url: `${presidio.url}/`,
      language: 'es',
      scoreThreshold: 0.8,
      entityKinds: { US_ITIN: 'ssn', LOCATION: 'person' },
    });
    expect(await analyzer.analyze({ text: 'Ravi 912-70-1234', kinds: ['ssn', 'person'] })).toEqual([
      { kind: 'ssn', start: 5, end: 16, value: '912-70-1234' },
      { kind: 'person', start: 0, end: 4, value: 'Ravi' },
    ]);
    expect(presidio.requests[0]).toMatchObject({
      language: 'es',
      score_threshold: 0.8,
      entities: ['US_SSN', 'PERSON', 'LOCATION', 'US_ITIN'],
    });
    expect(presidio.paths).toEqual(['/analyze']);
  });

  it('keeps a path prefix of the URL', async () => {
    const analyzer = createPresidioAnalyzer({ url: `${presidio.url}/presidio/` });
    await analyzer.analyze({ text: 'Priya', kinds: ['person'] });
    expect(presidio.paths).toEqual(['/presidio/analyze']);
  });

  describe('failures', () => {
    it('times out when no answer comes in time', async () => {
      presidio.answer = () => 'hang';
      const analyzer = createPresidioAnalyzer({ url: presidio.url, timeoutMs: 100 });
      const error = await failure(analyzer.analyze({ text: 'Priya', kinds: ['person'] }));
      expect(error.reason).toBe('timeout');
      expect(error.message).toMatch(/within 100 ms/);
    });

    it('reports a non-2xx status', async () => {
      presidio.answer = () => ({ status: 500, body: '{"error":"model not loaded"}' });
      const error = await failure(analyze('Priya'));
      expect([error.reason, error.status]).toEqual(['status', 500]);
    });

    it.each([
      ['malformed JSON', '[{"entity_type": "PERSON", '],
      ['an object instead of a list', '{"error": "no"}'],
      ['a string offset', '[{"entity_type": "PERSON", "start": "0", "end": 5, "score": 0.9}]'],
      ['a fractional offset', '[{"entity_type": "PERSON", "start": 0.5, "end": 5, "score": 1}]'],
      ['a missing score', '[{"entity_type": "PERSON", "start": 0, "end": 5}]'],
    ])('rejects %s as an invalid response', async (_, body) => {
      presidio.answer = () => ({ status: 200, body });
      expect((await failure(analyze('Priya'))).reason).toBe('invalid_response');
    });

    it('reports an analyzer that cannot be reached', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const analyzer = createPresidioAnalyzer({ url: `http://127.0.0.1:${port}` });
      const error = await failure(analyzer.analyze({ text: 'Priya', kinds: ['person'] }));
      expect(error.reason).toBe('unreachable');
    });
  });

  it.each([
    [{}, /url must be an http\(s\) URL/],
    [{ url: 'ftp://presidio' }, /url must be an http\(s\) URL/],
    [{ url: 'http://presidio', timeoutMs: 0 }, /timeoutMs/],
    [{ url: 'http://presidio', timeoutMs: 1.5 }, /timeoutMs/],
    [{ url: 'http://presidio', scoreThreshold: 1.5 }, /scoreThreshold/],
    [{ url: 'http://presidio', language: '' }, /language/],
    [{ url: 'http://presidio', entityKinds: { NRP: 'religion' } }, /unknown PII kind "religion"/],
  ])('rejects options %j', (options, message) => {
    expect(() => createPresidioAnalyzer(options as never)).toThrow(message);
  });
});
