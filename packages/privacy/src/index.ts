export { detectPii } from './pii/detect-pii.js';
export type { DetectPiiOptions } from './pii/detect-pii.js';
export type { AnalyzerFailureMode, PiiAnalyzerStats, PiiLogger } from './pii/external-analysis.js';
export { PiiAnalyzerError } from './pii/pii-analyzer.js';
export type {
  PiiAnalyzer,
  PiiAnalyzerErrorOptions,
  PiiAnalyzerFailureReason,
} from './pii/pii-analyzer.js';
export { DEFAULT_PII_KINDS, PII_KINDS } from './pii/pii-kind.js';
export type { PiiKind, PiiSpan } from './pii/pii-kind.js';
export { createPiiMasker } from './pii/pii-masker.js';
export type {
  MaskResult,
  MaskStrategy,
  PiiMasker,
  PiiMaskerOptions,
  RevealResult,
} from './pii/pii-masker.js';
export { createPresidioAnalyzer, PRESIDIO_ENTITY_KINDS } from './pii/presidio-analyzer.js';
export type { PresidioAnalyzerOptions } from './pii/presidio-analyzer.js';
export { normalizeForScreening } from './screening/normalize.js';
export { createInjectionScreen, screenText } from './screening/screen-text.js';
export type {
  InjectionScreen,
  InjectionScreenOptions,
  InjectionVerdict,
  ScreenHit,
  ScreenResult,
} from './screening/screen-text.js';
