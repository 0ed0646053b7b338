import { z } from 'zod';
import { PiiAnalyzerError, type PiiAnalyzer } from './pii-analyzer.js';
import { checkKinds, type PiiKind, type PiiSpan } from './pii-kind.js';

/**
 * The Presidio entity types a masker uses by default and the kinds they are masked as.
 * `DATE_TIME` is left out: a date on its own identifies nobody, and masking every date would
 * strip memories of their order and delivery dates.
 */
export const PRESIDIO_ENTITY_KINDS: Readonly<Record<string, PiiKind>> = Object.freeze({
  PHONE_NUMBER: 'phone',
  EMAIL_ADDRESS: 'email',
  CREDIT_CARD: 'credit_card',
  IBAN_CODE: 'iban',
  US_SSN: 'ssn',
  IN_AADHAAR: 'aadhaar',
  IN_PAN: 'pan',
  US_BANK_NUMBER: 'bank_account',
  PERSON: 'person',
  LOCATION: 'location',
  IP_ADDRESS: 'ip_address',
});

/** Options of {@link createPresidioAnalyzer}. */
export interface PresidioAnalyzerOptions {
  /** Base URL of the analyzer, e.g. `http://presidio-analyzer:3000`; `/analyze` is appended. */
  url: string;
  /** Language of the texts (a language the analyzer has a model for); `en` by default. */
  language?: string;
  /** Lowest score in [0, 1] a finding needs to count; 0.5 by default. */
  scoreThreshold?: number;
  /** Milliseconds to wait for the whole answer before the call fails as `timeout`; 2000 default. */
  timeoutMs?: number;
  /**
   * More entity types, or other kinds for the default ones, merged over
   * {@link PRESIDIO_ENTITY_KINDS}, e.g. `{ US_ITIN: 'ssn' }`. Types mapped to no kind are ignored.
   */
  entityKinds?: Readonly<Record<string, PiiKind>>;
}

const DEFAULT_TIMEOUT_MS = 2000;

/** What `POST /analyze` answers: one recognizer result per finding. */
const analyzeResponse = z.array(
  z.object({
    entity_type: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    score: z.number(),
    analysis_explanation: z.unknown().optional(),
    recognition_metadata: z.unknown().optional(),
  }),
);

/**
 * A {@link PiiAnalyzer} that asks a Microsoft Presidio analyzer (`POST {url}/analyze`) for the
 * entity types mapped to the requested kinds. Presidio counts offsets in Unicode code points;
 * they are turned into UTF-16 offsets, so an emoji before a name does not shift its mask. Findings
 * below the score threshold, of unmapped types, out of the text's range or inverted are dropped.
 * A call fails with a {@link PiiAnalyzerError}: `timeout`, `unreachable`, `status` (non-2xx) or
 * `invalid_response` (not JSON, or not a list of findings). Throws a TypeError for bad options.
 */
export function createPresidioAnalyzer(options: PresidioAnalyzerOptions): PiiAnalyzer {
  const caller = 'createPresidioAnalyzer';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${caller}: options with a url are required`);
  }
  const endpoint = analyzeEndpoint(options.url, caller);
  const language = options.language ?? 'en';
  if (typeof language !== 'string' || language.trim() === '') {
    throw new TypeError(`${caller}: language must be a non-empty string such as "en"`);
  }
  const scoreThreshold = options.scoreThreshold ?? 0.5;
  if (typeof scoreThreshold !== 'number' || !(scoreThreshold >= 0 && scoreThreshold <= 1)) {
    throw new TypeError(`${caller}: scoreThreshold must be a number from 0 to 1`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`${caller}: timeoutMs must be a positive whole number of milliseconds`);
  }
  const entityKinds = { ...PRESIDIO_ENTITY_KINDS, ...options.entityKinds };
  checkKinds(Object.values(entityKinds), caller);

  return {
    name: 'presidio',
    async analyze({ text, kinds }) {
      const wanted = new Set(kinds);
      const entities = Object.keys(entityKinds).filter((type) => wanted.has(entityKinds[type]!));
      if (entities.length === 0 || text.trim() === '') return [];
      const signal = AbortSignal.timeout(timeoutMs);
      const body = JSON.stringify({ text, language, entities, score_threshold: scoreThreshold });
      const results = analyzeResponse.safeParse(await post(endpoint, body, signal, timeoutMs));
      if (!results.success) {
        const issue = results.error.issues[0];
        const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
        throw new PiiAnalyzerError(
          'invalid_response',
          `the Presidio analyzer answered something other than a list of findings${where}: ${issue?.message ?? 'invalid'}`,
        );
      }
      const offset = utf16Offsets(text);
      const spans: PiiSpan[] = [];
      for (const result of results.data) {
        const kind = entityKinds[result.entity_type];
        if (kind === undefined || !wanted.has(kind) || result.score < scoreThreshold) continue;
        const start = offset(result.start);
        const end = offset(result.end);
        if (start === undefined || end === undefined || start >= end) continue;
        spans.push({ kind, start, end, value: text.slice(start, end) });
      }
      return spans;
    },
  };
}

function analyzeEndpoint(url: unknown, caller: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new TypeError(
      `${caller}: url must be an http(s) URL such as http://localhost:5002, got ${JSON.stringify(url)}`,
    );
  }
  return `${parsed.href.replace(/\/+$/, '')}/analyze`;
}

/** Posts the request and returns the parsed JSON answer, or fails with a PiiAnalyzerError. */
async function post(
  endpoint: string,
  body: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<unknown> {
  const failed = (error: unknown, fallback: PiiAnalyzerError): PiiAnalyzerError =>
    signal.aborted
      ? new PiiAnalyzerError(
          'timeout',
          `the Presidio analyzer did not answer within ${timeoutMs} ms`,
          { cause: error },
        )
      : fallback;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      signal,
    });
  } catch (error) {
    throw failed(
      error,
      new PiiAnalyzerError('unreachable', `the Presidio analyzer at ${endpoint} is unreachable`, {
        cause: error,
      }),
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new PiiAnalyzerError(
      'status',
      `the Presidio analyzer answered ${response.status} ${response.statusText}`.trimEnd(),
      { status: response.status },
    );
  }
  try {
    return await response.json();
  } catch (error) {
    throw failed(
      error,
      new PiiAnalyzerError('invalid_response', 'the Presidio analyzer answered invalid JSON', {
        cause: error,
      }),
    );
  }
}

/**
 * Turns a code-point offset (Python's string index, which Presidio reports) into a UTF-16 offset
 * into `text`; undefined when it lies outside the text.
 */
function utf16Offsets(text: string): (codePoint: number) => number | undefined {
  if (!/[\uD800-\uDFFF]/.test(text)) {
    return (codePoint) => (codePoint >= 0 && codePoint <= text.length ? codePoint : undefined);
  }
  const offsets: number[] = [];
  let unit = 0;
  for (const character of text) {
    offsets.push(unit);
    unit += character.length;
  }
  offsets.push(unit);
  return (codePoint) => (codePoint >= 0 ? offsets[codePoint] : undefined);
}
