import { instructionShapeScore, sentencesOf } from './instruction-shape.js';
import { SCREEN_PATTERNS } from './patterns/index.js';
import { asciiWordsOnly, firstAccepted, type ScreenPattern } from './patterns/screen-pattern.js';
import { variantsOf } from './variants.js';

/** Options of {@link screenText} and {@link createInjectionScreen}. */
export interface InjectionScreenOptions {
  /** More patterns, each blocking on its own, named `extra-1`, `extra-2`, ... in hits. */
  extraPatterns?: RegExp[];
  /** Score from which a text is blocked, in (0, 1]; default 0.7. */
  threshold?: number;
}

/** One signal found in a text. */
export interface ScreenHit {
  /** Name of the pattern, e.g. `ignore-previous-instructions` or `heuristic:instruction-shape`. */
  pattern: string;
  /** The text that matched (at most 200 characters). */
  matched: string;
  /** Which form of the text matched: as given, normalised, or decoded from an encoding. */
  variant: 'original' | 'normalized' | 'decoded';
}

/** The verdict of {@link screenText}. */
export interface ScreenResult {
  /** False when the score reaches the threshold. */
  allowed: boolean;
  /** Every signal found, strongest first. */
  hits: ScreenHit[];
  /** 0..1: the summed weights of the distinct signals, capped at 1. */
  score: number;
  /** `prompt injection: <pattern>` naming the strongest signal, when blocked. */
  reason?: string;
}

/** The verdict of the screen returned by {@link createInjectionScreen}. */
export type InjectionVerdict = { allowed: true } | { allowed: false; reason: string };

/** The screen the engine calls for every item written to memory. */
export interface InjectionScreen {
  /** Screens one text; `tenantId` and `field` say where it comes from. */
  screen(input: { tenantId: string; text: string; field: string }): InjectionVerdict;
}

/** Default score from which a text is blocked. */
export const DEFAULT_SCREEN_THRESHOLD = 0.7;

const HEURISTIC = 'heuristic:instruction-shape';
const MAX_MATCHED = 200;

/**
 * Screens a text for prompt injection. The text is checked as given, normalised
 * ({@link normalizeForScreening}: NFKC, invisible characters removed, look-alike letters folded),
 * in a looser form (leetspeak, spelled-out letters, punctuation as spaces), after peeling off
 * URL encoding, HTML entities, escapes, hex and base64 (three layers at most), and backwards and
 * in ROT13. Every form is matched against injection phrases of several languages and against
 * role and delimiter tokens; every sentence also gets an instruction-shape score, which needs a
 * control verb aimed at the AI's prompt, configuration or safety rules and falls for the
 * customer's own business. The weights of the distinct signals are summed and capped at 1; the
 * text is blocked from `threshold`.
 */
export function screenText(text: string, options: InjectionScreenOptions = {}): ScreenResult {
  if (typeof text !== 'string') throw new TypeError('screenText: text must be a string');
  const threshold = checkThreshold(options.threshold);
  const patterns = [...SCREEN_PATTERNS, ...(options.extraPatterns ?? []).map(extraPattern)];
  const found = new Map<string, { hit: ScreenHit; weight: number }>();
  const record = (name: string, weight: number, matched: string, variant: ScreenHit['variant']) => {
    const shown = variant === 'normalized' && text.includes(matched) ? 'original' : variant;
    found.set(name, {
      hit: { pattern: name, matched: matched.slice(0, MAX_MATCHED), variant: shown },
      weight,
    });
  };

  let heuristic = 0;
  for (const form of variantsOf(text)) {
    const asciiWords = asciiWordsOnly(form.text);
    for (const item of patterns) {
      if (found.has(item.name)) continue;
      if (!(item.scope === 'boundary' ? form.boundaries : form.phrases)) continue;
      const match = firstAccepted(item, form.text, asciiWords);
      if (match) record(item.name, item.weight, match[0], form.variant);
    }
    if (!form.boundaries || !form.phrases) continue;
    for (const sentence of sentencesOf(form.text)) {
      const score = instructionShapeScore(sentence);
      if (score > heuristic) {
        heuristic = score;
        record(HEURISTIC, score, sentence.trim(), form.variant);
      }
    }
  }

  const hits = [...found.values()].sort((left, right) => right.weight - left.weight);
  const total = hits.reduce((sum, { weight }) => sum + weight, 0);
  const score = Math.min(1, Math.round(total * 1000) / 1000);
  const result: ScreenResult = {
    allowed: score < threshold,
    hits: hits.map(({ hit }) => hit),
    score,
  };
  if (!result.allowed) result.reason = `prompt injection: ${hits[0]!.hit.pattern}`;
  return result;
}

/**
 * The screen the engine calls for every item written to memory: allowed, or refused with a
 * stable reason such as `prompt injection: ignore-previous-instructions`. Options are checked
 * once, here.
 */
export function createInjectionScreen(options: InjectionScreenOptions = {}): InjectionScreen {
  checkThreshold(options.threshold);
  options.extraPatterns?.forEach(extraPattern);
  return {
    screen(input) {
      const result = screenText(input.text, options);
      return result.allowed ? { allowed: true } : { allowed: false, reason: result.reason! };
    },
  };
}

function checkThreshold(threshold: number | undefined): number {
  if (threshold === undefined) return DEFAULT_SCREEN_THRESHOLD;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new TypeError(
      `screenText: threshold must be a number in (0, 1], got ${String(threshold)}`,
    );
  }
  return threshold;
}

function extraPattern(regex: RegExp, index: number): ScreenPattern {
  if (!(regex instanceof RegExp)) {
    throw new TypeError(`screenText: extraPatterns[${index}] must be a RegExp`);
  }
  return {
    name: `extra-${index + 1}`,
    weight: 1,
    scope: 'boundary',
    regex: new RegExp(regex.source, `${regex.flags.replace(/[gy]/g, '')}g`),
  };
}
