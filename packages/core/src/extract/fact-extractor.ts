import { z } from 'zod';
import { MemnexError } from '../errors.js';
import {
  LIMITS,
  entitySchema,
  factTypeSchema,
  type Channel,
  type FactType,
} from '../wire/common.js';

/** Who said a message: the person memories are about, the agent serving them, or not known. */
export type SpeakerRole = 'user' | 'agent' | 'unknown';

/** One cleaned message handed to a {@link FactExtractor}. */
export interface ExtractionMessage {
  /** Id of the message; every extracted fact names the message it came from by this id. */
  id: string;
  /** Speaker as written in the raw text (`Priya`, `Agent`), or null when none was given. */
  speaker: string | null;
  /** Role of the speaker, recognised from the label and what they say. */
  role: SpeakerRole;
  /** The message text, cleaned for its channel (fillers and repeated words removed on voice). */
  text: string;
  /** When it was said (ISO-8601); the time of the write when the raw text did not say. */
  observedAt: string;
}

/** A fact an extractor found, before it is screened, masked and planned like any given fact. */
export interface ExtractedFact {
  type: FactType;
  /** One self-contained statement, at most 4096 characters. */
  text: string;
  /** `type:value` entities such as `order:4521` or `amount:INR499`. */
  entities: string[];
  /** Id of the message the fact came from; must be one of the messages given to the extractor. */
  messageId: string;
  /** 0..1; the engine's default for the extractor when absent. */
  confidence?: number;
  /** Conflict slot such as `profile:city`, when the extractor knows it. */
  slot?: string;
}

/** What a {@link FactExtractor} is asked. */
export interface ExtractInput {
  /** The conversation, in order. */
  messages: ExtractionMessage[];
  /** Channel of the conversation, when known. */
  channel: Channel | null;
  /** Aborted when the engine stops waiting; a slow extractor should give up then. */
  signal?: AbortSignal;
}

/**
 * Finds typed facts in conversation messages. The engine ships a deterministic rule extractor
 * (`createRuleExtractor`); a model-backed one (e.g. from `@memnex/extractors`) can be given to
 * `createMemnex` as `extractor`. Whatever it returns is validated; a failure or an invalid answer
 * makes the engine fall back to the rules and say so in the write result.
 */
export interface FactExtractor {
  extract(input: ExtractInput): Promise<ExtractedFact[]>;
}

/** The shape every extracted fact must have before it joins a write. */
export const extractedFactSchema = z.strictObject({
  type: factTypeSchema,
  text: z.string().trim().min(1, 'must not be empty').max(LIMITS.factTextLength),
  entities: z.array(entitySchema).max(LIMITS.entitiesPerFact),
  messageId: z.string().min(1),
  confidence: z.number().min(0).max(1).optional(),
  slot: z.string().min(1).max(256).optional(),
});

/**
 * Why a model extractor failed, as `details.reason` of its `EXTRACTION_FAILED` error and as
 * `extraction.fallback.code` of the write that fell back to the rules.
 */
export const EXTRACTION_FAILURES = [
  'TIMEOUT',
  'HTTP_ERROR',
  'NETWORK_ERROR',
  'INVALID_JSON',
  'SCHEMA_MISMATCH',
  'UNKNOWN_MESSAGE',
  'FAILED',
] as const;

/** One of {@link EXTRACTION_FAILURES}. */
export type ExtractionFailure = (typeof EXTRACTION_FAILURES)[number];

/** An `EXTRACTION_FAILED` error saying why in `details.reason`; extractors throw it. */
export function extractionFailed(
  reason: ExtractionFailure,
  message: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): MemnexError {
  return new MemnexError({
    code: 'EXTRACTION_FAILED',
    message,
    cause: options.cause,
    details: { ...options.details, reason },
  });
}

/** The {@link ExtractionFailure} an error stands for: its `details.reason`, else `FAILED`. */
export function extractionFailureOf(error: unknown): ExtractionFailure {
  const reason = MemnexError.isInstance(error) ? error.details?.reason : undefined;
  return EXTRACTION_FAILURES.includes(reason as ExtractionFailure)
    ? (reason as ExtractionFailure)
    : 'FAILED';
}
