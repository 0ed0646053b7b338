import type { IdentifierNamespace } from './model.js';
import type { Channel } from './wire/common.js';

/** Verdict of a {@link ContentScreen}. */
export type ScreenVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Screens text written into memory for prompt injection. A blocked item is rejected with its
 * reason; the rest of the write goes on. The default allows everything.
 */
export interface ContentScreen {
  screen(input: {
    tenantId: string;
    text: string;
    field: string;
  }): ScreenVerdict | Promise<ScreenVerdict>;
}

/** Result of a {@link PiiMasker}. */
export interface MaskResult {
  /** The text to store. */
  text: string;
  /** Kinds of PII that were masked, e.g. `email`, `phone`. */
  fields: string[];
}

/** Masks PII before anything is stored. */
export interface PiiMasker {
  mask(input: {
    tenantId: string;
    text: string;
    defaultRegion?: string;
  }): MaskResult | Promise<MaskResult>;
  /**
   * Decrypt reversible masks (the `encrypt` strategy) of this tenant in `text`; masks that do not
   * authenticate are left as they are and counted in `failed`.
   */
  reveal?(input: { tenantId: string; text: string }): {
    text: string;
    revealed: number;
    failed: number;
  };
}

/** A canonical identifier. */
export interface CanonicalIdentifier {
  namespace: IdentifierNamespace;
  value: string;
}

/**
 * Turns a channel identifier into its canonical form. Must be idempotent and must throw a
 * `VALIDATION_FAILED` MemnexError for input that has no canonical form.
 */
export interface IdentifierNormalizer {
  normalize(input: { channel: Channel; id: string; defaultRegion?: string }): CanonicalIdentifier;
}
