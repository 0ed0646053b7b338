import { BOUNDARY_PATTERNS } from './boundary.js';
import { MULTILINGUAL_PATTERNS } from './multilingual.js';
import { POISONING_PATTERNS } from './poisoning.js';
import { REVEAL_PATTERNS } from './reveal.js';
import { ROLE_PATTERNS } from './role.js';
import type { ScreenPattern } from './screen-pattern.js';
import { SET_ASIDE_PATTERNS } from './set-aside.js';

/** Every built-in signal of the injection screen. */
export const SCREEN_PATTERNS: readonly ScreenPattern[] = [
  ...BOUNDARY_PATTERNS,
  ...SET_ASIDE_PATTERNS,
  ...REVEAL_PATTERNS,
  ...ROLE_PATTERNS,
  ...POISONING_PATTERNS,
  ...MULTILINGUAL_PATTERNS,
];
