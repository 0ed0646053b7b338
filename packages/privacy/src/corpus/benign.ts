import type { BenignSample } from './benign-sample.js';
import { EVERYDAY_SAMPLES } from './benign-everyday.js';
import { HARD_CASE_SAMPLES } from './benign-hard-cases.js';
import { LANGUAGE_SAMPLES } from './benign-languages.js';
import { TECHNICAL_SAMPLES } from './benign-technical.js';

export type { BenignSample } from './benign-sample.js';

/**
 * Things customers and agents actually write into a support conversation, none of them an
 * attack: polite requests, orders, refunds, complaints, agent notes, technical support with
 * words such as "system", "reset", "admin", "ignore" and "override", many languages, and hard
 * cases that borrow the vocabulary of attacks.
 */
export const BENIGN_CORPUS: readonly BenignSample[] = [
  ...EVERYDAY_SAMPLES,
  ...TECHNICAL_SAMPLES,
  ...LANGUAGE_SAMPLES,
  ...HARD_CASE_SAMPLES,
];
