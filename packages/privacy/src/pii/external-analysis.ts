import type { CountryCode } from 'libphonenumber-js';
import { canonicalValue } from './canonical.js';
import { blankMaskTokens } from './mask-token.js';
import {
  PiiAnalyzerError,
  type PiiAnalyzer,
  type PiiAnalyzerFailureReason,
} from './pii-analyzer.js';
import type { PiiCandidate, PiiKind, PiiSpan } from './pii-kind.js';

/**
 * What a masker does when its analyzer fails: `builtin` masks with the built-in detectors only,
 * `reject` makes `mask()` reject with the {@link PiiAnalyzerError}, so nothing is stored that
 * only the analyzer would have caught.
 */
export type AnalyzerFailureMode = 'builtin' | 'reject';

/** The logging a masker does about its analyzer; structurally a subset of Memnex's `Logger`. */
export interface PiiLogger {
  /** The analyzer answers again after failing. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** The analyzer failed (at most one line a minute, with the count of failures not logged). */
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Counters of a masker's external analyzer, for metrics and health checks. */
export interface PiiAnalyzerStats {
  /** Texts sent to the analyzer. */
  calls: number;
  /** Calls that gave no usable answer; each one fell back or rejected, as configured. */
  failures: number;
  /** Failures since the last usable answer; 0 while the analyzer answers. */
  consecutiveFailures: number;
  /** The latest failure, or null when there was none. */
  lastFailure: { reason: PiiAnalyzerFailureReason; message: string; at: string } | null;
}

/** Failure warnings are logged at most this often; the ones in between are counted. */
const WARNING_INTERVAL_MS = 60_000;

/** Runs a masker's analyzer: findings as candidates, failures counted, logged and handled. */
export interface ExternalAnalysis {
  /** Candidates the analyzer found; `[]` after a failure in `builtin` mode. */
  find(text: string, kinds: readonly PiiKind[], region?: CountryCode): Promise<PiiCandidate[]>;
  /** A snapshot of the counters. */
  stats(): PiiAnalyzerStats;
}

/**
 * Wraps an analyzer for a masker: sends it the text with mask tokens blanked out, turns its
 * spans into candidates, counts calls and failures, logs a failure at most once a minute and a
 * recovery once, and after a failure resolves to no findings (`builtin`) or rejects (`reject`).
 */
export function createExternalAnalysis(options: {
  analyzer: PiiAnalyzer;
  onFailure: AnalyzerFailureMode;
  logger?: PiiLogger;
}): ExternalAnalysis {
  const { analyzer, onFailure, logger } = options;
  const stats: PiiAnalyzerStats = {
    calls: 0,
    failures: 0,
    consecutiveFailures: 0,
    lastFailure: null,
  };
  let lastWarning = Number.NEGATIVE_INFINITY;
  let unlogged = 0;

  const failed = (caught: unknown): PiiAnalyzerError => {
    const error = PiiAnalyzerError.isInstance(caught)
      ? caught
      : new PiiAnalyzerError('error', `the ${analyzer.name} analyzer failed`, { cause: caught });
    stats.failures += 1;
    stats.consecutiveFailures += 1;
    const now = Date.now();
    stats.lastFailure = {
      reason: error.reason,
      message: error.message,
      at: new Date(now).toISOString(),
    };
    if (now - lastWarning >= WARNING_INTERVAL_MS) {
      logger?.warn(
        onFailure === 'reject'
          ? 'PII analyzer failed: texts are refused until it answers again'
          : 'PII analyzer failed: masking with the built-in detectors only',
        {
          analyzer: analyzer.name,
          reason: error.reason,
          error: error.message,
          unloggedFailures: unlogged,
        },
      );
      lastWarning = now;
      unlogged = 0;
    } else {
      unlogged += 1;
    }
    return error;
  };

  return {
    async find(text, kinds, region) {
      const blanked = blankMaskTokens(text);
      if (blanked.trim() === '') return [];
      stats.calls += 1;
      let spans: PiiSpan[];
      try {
        spans = await analyzer.analyze({ text: blanked, kinds });
        if (!Array.isArray(spans)) {
          throw new PiiAnalyzerError(
            'invalid_response',
            `the ${analyzer.name} analyzer answered something other than a list of spans`,
          );
        }
      } catch (caught) {
        const error = failed(caught);
        if (onFailure === 'reject') throw error;
        return [];
      }
      if (stats.consecutiveFailures > 0) {
        logger?.info('PII analyzer answers again', {
          analyzer: analyzer.name,
          failures: stats.consecutiveFailures,
        });
        stats.consecutiveFailures = 0;
      }
      return candidatesOf(text, spans, new Set(kinds), region);
    },
    stats: () => ({
      ...stats,
      lastFailure: stats.lastFailure === null ? null : { ...stats.lastFailure },
    }),
  };
}

/**
 * The analyzer's spans that are of a wanted kind and lie within the text, trimmed of surrounding
 * whitespace, with their values taken from the text and their canonical forms.
 */
function candidatesOf(
  text: string,
  spans: readonly PiiSpan[],
  kinds: ReadonlySet<PiiKind>,
  region: CountryCode | undefined,
): PiiCandidate[] {
  const candidates: PiiCandidate[] = [];
  for (const span of spans) {
    if (!kinds.has(span.kind) || !Number.isInteger(span.start) || !Number.isInteger(span.end)) {
      continue;
    }
    let { start, end } = span;
    if (start < 0 || end > text.length || splitsPair(text, start) || splitsPair(text, end)) {
      continue;
    }
    while (start < end && /\s/.test(text[start]!)) start += 1;
    while (end > start && /\s/.test(text[end - 1]!)) end -= 1;
    if (start >= end) continue;
    const value = text.slice(start, end);
    candidates.push({
      kind: span.kind,
      start,
      end,
      value,
      canonical: canonicalValue(span.kind, value, region),
    });
  }
  return candidates;
}

/** True when `index` falls between the two halves of a surrogate pair (inside an emoji). */
function splitsPair(text: string, index: number): boolean {
  const after = text.charCodeAt(index);
  const before = text.charCodeAt(index - 1);
  return after >= 0xdc00 && after <= 0xdfff && before >= 0xd800 && before <= 0xdbff;
}
