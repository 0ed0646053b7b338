import { randomBytes } from 'node:crypto';
import { MemnexError, type Logger, type PiiMasker } from '@memnex/core';
import {
  createPiiMasker,
  createPresidioAnalyzer,
  PiiAnalyzerError,
  type PiiAnalyzerStats,
} from '@memnex/privacy';
import type { MemnexConfig } from './config.js';

/** A masker that asks the configured Presidio analyzer, with its counters. */
export interface AnalyzingMasker {
  masker: PiiMasker;
  stats(): PiiAnalyzerStats;
}

/**
 * The engine's PII masker with the Presidio analyzer of `MEMNEX_PRESIDIO_URL` added; null when
 * none is configured (the engine then builds its own, built-in detectors only). In `reject` mode
 * a failed analysis becomes a retryable `STORAGE_UNAVAILABLE`, so the write stores nothing.
 */
export function createAnalyzingMasker(
  config: MemnexConfig,
  piiKey: string | undefined,
  logger: Logger | undefined,
): AnalyzingMasker | null {
  if (!config.presidio) return null;
  const { url, timeoutMs, language, scoreThreshold, onFailure } = config.presidio;
  if (piiKey === undefined) {
    logger?.warn('no PII key configured: PII tokens use a random per-process key');
  }
  const masker = createPiiMasker({
    key: piiKey ?? randomBytes(32),
    strategy: config.piiStrategy,
    defaultRegion: config.defaultRegion,
    analyzer: createPresidioAnalyzer({ url, timeoutMs, language, scoreThreshold }),
    onAnalyzerFailure: onFailure,
    logger,
  });
  return {
    masker: {
      mask: (input) =>
        masker.mask(input).catch((error: unknown) => {
          if (!PiiAnalyzerError.isInstance(error)) throw error;
          throw new MemnexError({
            code: 'STORAGE_UNAVAILABLE',
            message: `PII analysis is unavailable (${error.reason}), so nothing was stored; try again`,
            details: { reason: error.reason },
            cause: error,
          });
        }),
      reveal: (input) => masker.reveal(input),
    },
    stats: () => masker.analyzerStats()!,
  };
}
