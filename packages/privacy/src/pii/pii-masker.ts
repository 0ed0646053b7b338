import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { findPii, mergeSpans } from './detect-pii.js';
import {
  createExternalAnalysis,
  type AnalyzerFailureMode,
  type ExternalAnalysis,
  type PiiAnalyzerStats,
  type PiiLogger,
} from './external-analysis.js';
import { ENCRYPTED_TOKEN, kindOfLabel, tokenLabel } from './mask-token.js';
import type { PiiAnalyzer } from './pii-analyzer.js';
import { checkRegion } from './phones.js';
import { checkKinds, DEFAULT_PII_KINDS, type PiiCandidate, type PiiKind } from './pii-kind.js';
import { checkTenantId, secretBytes, TenantKeyring } from './tenant-keys.js';

/** How a masker replaces personal data. */
export type MaskStrategy = 'token' | 'redact' | 'encrypt';

const STRATEGIES: readonly MaskStrategy[] = ['token', 'redact', 'encrypt'];
const FAILURE_MODES: readonly AnalyzerFailureMode[] = ['builtin', 'reject'];

/** Options of {@link createPiiMasker}. */
export interface PiiMaskerOptions {
  /**
   * Secret for keyed tokens and encryption (the service passes MEMNEX_PII_KEY); a string or
   * bytes, at least 16 bytes.
   */
  key: string | Uint8Array;
  /**
   * `token` (default): keyed hash; `redact`: the kind only; `encrypt`: reversible with
   * {@link PiiMasker.reveal}.
   */
  strategy?: MaskStrategy;
  /** Kinds to mask; defaults to {@link DEFAULT_PII_KINDS} (everything but `dob`). */
  kinds?: readonly PiiKind[];
  /** Region for phone numbers written without a country code, e.g. `IN`; none by default. */
  defaultRegion?: string;
  /**
   * External detector whose findings are merged with the built-in ones, e.g.
   * `createPresidioAnalyzer(...)`; the only source of `person`, `location` and `ip_address`.
   */
  analyzer?: PiiAnalyzer;
  /**
   * When the analyzer fails (timeout, connection error, non-2xx, invalid answer): `builtin`
   * (default) masks with the built-in detectors only; `reject` makes `mask()` reject with the
   * `PiiAnalyzerError`, so nothing is stored that only the analyzer would have caught.
   */
  onAnalyzerFailure?: AnalyzerFailureMode;
  /** Gets analyzer failure warnings (at most one a minute) and recoveries; silent by default. */
  logger?: PiiLogger;
}

/** What {@link PiiMasker.mask} returns. */
export interface MaskResult {
  /** The text with every finding replaced by a token. */
  text: string;
  /** Kinds that were masked, sorted and unique, e.g. `['email', 'phone']`. */
  fields: string[];
  /** How many spans were masked. */
  spans: number;
}

/** What {@link PiiMasker.reveal} returns. */
export interface RevealResult {
  /** The text with every `encrypt` token of the tenant that authenticated replaced by its value. */
  text: string;
  /** How many tokens were decrypted. */
  revealed: number;
  /** How many `encrypt` tokens failed authentication and were left as they are. */
  failed: number;
}

/** Masks personal data before it is stored, per tenant. */
export interface PiiMasker {
  /**
   * Replaces every finding with a token; idempotent (masked text is returned unchanged).
   * Asynchronous because an analyzer may be asked; besides bad input, it rejects only when the
   * analyzer fails under `onAnalyzerFailure: 'reject'`.
   */
  mask(input: { tenantId: string; text: string; defaultRegion?: string }): Promise<MaskResult>;
  /**
   * Decrypts `encrypt` tokens of this tenant in text; tokens that fail authentication (wrong
   * key / other tenant / edited) are left as they are and counted in `failed`.
   */
  reveal(input: { tenantId: string; text: string }): RevealResult;
  /** Counters of the analyzer (calls, failures, the latest failure); null without one. */
  analyzerStats(): PiiAnalyzerStats | null;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Creates a masker. Tokens look like `[EMAIL:5f0c1a9e2b7d]` (`token`: the first 12 hex of an
 * HMAC-SHA256 of kind and canonical value under a per-tenant HKDF key), `[EMAIL]` (`redact`) or
 * `[EMAIL:enc:<base64url(iv|ciphertext|tag)>]` (`encrypt`: AES-256-GCM under a per-tenant key,
 * tenant and kind bound as associated data). With an `analyzer`, its findings are merged with
 * the built-in ones by kind priority and length, never displacing a checksum-verified built-in
 * finding. Throws a TypeError for a short or missing key, an unknown strategy, kind, region or
 * failure mode.
 */
export function createPiiMasker(options: PiiMaskerOptions): PiiMasker {
  const caller = 'createPiiMasker';
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${caller}: options with a key are required`);
  }
  const keyring = new TenantKeyring(secretBytes(options.key, caller));
  const strategy = options.strategy ?? 'token';
  if (!STRATEGIES.includes(strategy)) {
    throw new TypeError(
      `${caller}: strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
    );
  }
  const kinds = checkKinds(options.kinds ?? DEFAULT_PII_KINDS, caller);
  const defaultRegion = checkRegion(options.defaultRegion, caller);
  const external = externalAnalysis(options, caller);

  const replacement = (tenantId: string, span: PiiCandidate): string => {
    const label = tokenLabel(span.kind);
    if (strategy === 'redact') return `[${label}]`;
    if (strategy === 'token') {
      const digest = createHmac('sha256', keyring.key(tenantId, 'token'))
        .update(`${span.kind}\u0000${span.canonical}`)
        .digest('hex');
      return `[${label}:${digest.slice(0, 12)}]`;
    }
    return `[${label}:enc:${encrypt(keyring, tenantId, span.kind, span.value)}]`;
  };

  return {
    async mask(input) {
      const tenantId = checkTenantId(input.tenantId, 'mask');
      if (typeof input.text !== 'string') throw new TypeError('mask: text must be a string');
      const region = checkRegion(input.defaultRegion, 'mask') ?? defaultRegion;
      // The analyzer is asked first so that the built-in detectors run while it works.
      const analyzed = external?.find(input.text, kinds, region);
      const builtin = findPii(input.text, { kinds, defaultRegion: region });
      const spans = analyzed ? mergeSpans(input.text, builtin, await analyzed) : builtin;
      if (spans.length === 0) return { text: input.text, fields: [], spans: 0 };
      let text = '';
      let position = 0;
      for (const span of spans) {
        text += input.text.slice(position, span.start) + replacement(tenantId, span);
        position = span.end;
      }
      text += input.text.slice(position);
      const fields = [...new Set(spans.map((span) => span.kind))].sort();
      return { text, fields, spans: spans.length };
    },

    reveal(input) {
      const tenantId = checkTenantId(input.tenantId, 'reveal');
      if (typeof input.text !== 'string') throw new TypeError('reveal: text must be a string');
      let revealed = 0;
      let failed = 0;
      const text = input.text.replace(ENCRYPTED_TOKEN, (token, label: string, payload: string) => {
        const value = decrypt(keyring, tenantId, kindOfLabel(label), payload);
        if (value === null) {
          failed += 1;
          return token;
        }
        revealed += 1;
        return value;
      });
      return { text, revealed, failed };
    },

    analyzerStats: () => external?.stats() ?? null,
  };
}

function externalAnalysis(options: PiiMaskerOptions, caller: string): ExternalAnalysis | null {
  const onFailure = options.onAnalyzerFailure ?? 'builtin';
  if (!FAILURE_MODES.includes(onFailure)) {
    throw new TypeError(
      `${caller}: onAnalyzerFailure must be one of ${FAILURE_MODES.join(', ')}, got ${JSON.stringify(onFailure)}`,
    );
  }
  if (options.analyzer === undefined) return null;
  if (typeof options.analyzer?.analyze !== 'function') {
    throw new TypeError(`${caller}: analyzer must have an analyze(input) method`);
  }
  return createExternalAnalysis({ analyzer: options.analyzer, onFailure, logger: options.logger });
}

function associatedData(tenantId: string, kind: PiiKind): Buffer {
  return Buffer.from(`memnex/pii/v1\u0000${kind}\u0000${tenantId}`, 'utf8');
}

/**
 * AES-256-GCM with a synthetic IV: the first 12 bytes of an HMAC of kind and value under a
 * separate per-tenant key. Equal values of a tenant encrypt to equal tokens, so deduplication
 * keeps working; like keyed tokens this reveals which stored values are equal, and nothing else.
 * The IV is computed over the exact plaintext, so two different plaintexts never share an IV.
 */
function encrypt(keyring: TenantKeyring, tenantId: string, kind: PiiKind, value: string): string {
  const iv = createHmac('sha256', keyring.key(tenantId, 'iv'))
    .update(`${kind}\u0000${value}`)
    .digest()
    .subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.key(tenantId, 'encrypt'), iv);
  cipher.setAAD(associatedData(tenantId, kind));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

function decrypt(
  keyring: TenantKeyring,
  tenantId: string,
  kind: PiiKind,
  payload: string,
): string | null {
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyring.key(tenantId, 'encrypt'), iv);
    decipher.setAAD(associatedData(tenantId, kind));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return plaintext.toString('utf8');
  } catch {
    return null;
  }
}
