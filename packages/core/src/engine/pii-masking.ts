import { randomBytes } from 'node:crypto';
import { createPiiMasker, PiiAnalyzerError, type PiiAnalyzerStats } from '@memnex/privacy';
import { MemnexError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PiiMasker } from '../seams.js';
import type { MemnexOptions } from './create-memnex.js';

/** What the engine's masker is built from: the PII options of `createMemnex`. */
type MaskingOptions = Pick<
  MemnexOptions,
  | 'masker'
  | 'piiKey'
  | 'piiStrategy'
  | 'piiKinds'
  | 'piiAnalyzer'
  | 'piiAnalyzerFailure'
  | 'defaultRegion'
>;

/**
 * The masker every write goes through: the caller's, none (`masker: false`), or the built-in
 * detectors with the optional external analyzer. Under `piiAnalyzerFailure: 'reject'` a failed
 * analysis becomes a retryable `STORAGE_UNAVAILABLE`, so the write stores nothing.
 */
export function createEngineMasker(
  options: MaskingOptions,
  logger: Logger,
): { masker: PiiMasker; analyzerStats: () => PiiAnalyzerStats | null } {
  if (options.masker === false) {
    return { masker: { mask: ({ text }) => ({ text, fields: [] }) }, analyzerStats: () => null };
  }
  if (options.masker) return { masker: options.masker, analyzerStats: () => null };
  if (options.piiKey === undefined) {
    logger.warn('no PII key configured: PII tokens use a random per-process key');
  }
  const masker = createPiiMasker({
    key: options.piiKey ?? randomBytes(32),
    strategy: options.piiStrategy,
    kinds: options.piiKinds,
    defaultRegion: options.defaultRegion,
    analyzer: options.piiAnalyzer,
    onAnalyzerFailure: options.piiAnalyzerFailure,
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
    analyzerStats: () => masker.analyzerStats(),
  };
}
