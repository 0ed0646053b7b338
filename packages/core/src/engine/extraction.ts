import { z } from 'zod';
import type { TenantRecord } from '../model.js';
import {
  extractedFactSchema,
  extractionFailed,
  extractionFailureOf,
  type ExtractedFact,
  type ExtractionMessage,
} from '../extract/fact-extractor.js';
import { rawTextMessages, type RawTextMessage } from '../extract/raw-text-messages.js';
import { extractWithRules, RULE_CONFIDENCE } from '../extract/rule-extractor.js';
import { LIMITS } from '../wire/common.js';
import type { Extraction, WriteRequest } from '../wire/memory.js';
import type { EngineContext } from './context.js';
import { messageText, type PrepareMessage } from './prepare.js';
import { validationIssuesOf } from './validate.js';

/** Confidence of a model's fact that did not state one. */
const MODEL_CONFIDENCE = 0.8;

/**
 * Longest wait for a model extractor, whatever its own timeout: a write never hangs on it. The
 * providers of `@memnex/extractors` give up much earlier (10 s by default).
 */
export const EXTRACTION_DEADLINE_MS = 60_000;

// A PII mask the model saw in place of a value, e.g. "[PHONE:5f0c1a9e2b7d]".
const MASK_TOKEN = /\[[A-Z][A-Z_]{1,30}(?::[^\]\s]{1,200})?\]/u;

/** An extracted fact on its way into the write, with what the write needs to know about it. */
export interface PendingFact extends ExtractedFact {
  /** The extractor's confidence, or its default when it stated none. */
  confidence: number;
  observedAt: string;
  metadata: { extractedBy: Extraction['extractor'] };
  /** Kinds of PII masked in its message before a model read it. */
  piiFields: string[];
}

/** What extraction made of a write's raw text, before the write is planned. */
export interface RawTextExtraction {
  /**
   * The cleaned messages, to be stored like given messages: each with the injection screen's
   * verdict and, when admitted, its masked text, so the write neither screens nor masks it again.
   */
  messages: PrepareMessage[];
  /** Every fact found, in order; those past `LIMITS.extractedFactsPerWrite` are refused. */
  facts: PendingFact[];
  extractor: Extraction['extractor'];
  fallback: Extraction['fallback'];
}

/**
 * Split, clean and extract a write's raw text. The model extractor, when configured, reads the
 * messages with PII masked; any failure of it (timeout, HTTP error, invalid output, a fact naming
 * an unknown message) is logged and answered by the rules, and the result says so. Messages the
 * injection screen refuses are kept out of extraction (the write rejects them as messages).
 * Runs before the user's write lock is taken: a slow model does not hold up other writers.
 */
export async function extractRawText(
  context: EngineContext,
  tenant: TenantRecord,
  input: WriteRequest,
): Promise<RawTextExtraction | null> {
  if (input.rawText === undefined) return null;
  const channel = input.source?.channel ?? null;
  const cleaned = rawTextMessages(input.rawText, { channel, now: context.now() });
  // Screened and masked as they will be stored, once: the write reuses both.
  const messages: PrepareMessage[] = [];
  const admitted: RawTextMessage[] = [];
  const masked: ExtractionMessage[] = [];
  const maskedFields = new Map<string, string[]>();
  for (const [position, message] of cleaned.entries()) {
    const text = messageText(message);
    const screened = await context.screen.screen({
      tenantId: tenant.id,
      text,
      field: `messages.${input.messages.length + position}.text`,
    });
    if (!screened.allowed) {
      messages.push(storedMessage(message, { screened }));
      continue;
    }
    const stored = await context.masker.mask({
      tenantId: tenant.id,
      text,
      defaultRegion: tenant.settings.defaultRegion,
    });
    const parts = maskedParts(message, stored.text);
    messages.push(storedMessage(message, { screened, masked: stored }, parts.speaker));
    admitted.push(message);
    masked.push({ id: message.id, role: message.role, observedAt: message.observedAt, ...parts });
    maskedFields.set(message.id, stored.fields);
  }
  const byRules = (): RawTextExtraction => ({
    messages,
    facts: pending(extractWithRules(admitted), admitted, 'rules', new Map()),
    extractor: 'rules',
    fallback: null,
  });
  if (!context.extractor || admitted.length === 0) return byRules();

  try {
    const answer = await withDeadline((signal) =>
      context.extractor!.extract({ messages: masked, channel, signal }),
    );
    const facts = checkedFacts(answer, admitted);
    return {
      messages,
      facts: pending(facts, admitted, 'llm', maskedFields),
      extractor: 'llm',
      fallback: null,
    };
  } catch (error) {
    const code = extractionFailureOf(error);
    const reason = error instanceof Error ? error.message : String(error);
    context.logger.warn('model fact extraction failed; the rules extracted instead', {
      tenantId: tenant.id,
      code,
      reason,
      error,
    });
    return { ...byRules(), fallback: { from: 'llm', code, reason } };
  }
}

/**
 * The speaker and text of a message whose stored form `"<speaker>: <text>"` was masked as
 * `storedText`. The built-in masker's tokens hold no `": "`, so the first one still ends the
 * speaker; when masking swallowed it, the whole masked text is the text and the speaker is not
 * known. Either way both parts come from the masked text.
 */
function maskedParts(
  message: RawTextMessage,
  storedText: string,
): Pick<ExtractionMessage, 'speaker' | 'text'> {
  const cut = message.speaker ? storedText.indexOf(': ') : -1;
  if (cut < 0) return { speaker: null, text: storedText };
  return { speaker: storedText.slice(0, cut), text: storedText.slice(cut + 2) };
}

/** A raw-text message as the write stores it, its metadata naming the speaker only masked. */
function storedMessage(
  message: RawTextMessage,
  checked: Pick<PrepareMessage, 'screened' | 'masked'>,
  maskedSpeaker: string | null = null,
): PrepareMessage {
  const { speaker: _speaker, ...metadata } = message.metadata;
  return {
    ...checked,
    id: message.id,
    ...(message.speaker ? { speaker: message.speaker } : {}),
    text: message.text,
    observedAt: message.observedAt,
    metadata: maskedSpeaker === null ? metadata : { ...metadata, speaker: maskedSpeaker },
  };
}

/** Run `work` with an abort signal that fires after {@link EXTRACTION_DEADLINE_MS}. */
async function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        extractionFailed(
          'TIMEOUT',
          `fact extractor gave no answer within ${EXTRACTION_DEADLINE_MS} ms`,
        ),
      );
    }, EXTRACTION_DEADLINE_MS);
    timer.unref?.();
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const answerSchema = z.array(extractedFactSchema).max(LIMITS.rawMessagesPerWrite * 10);

/** The model's facts, if every one is well formed and names a message it was given. */
function checkedFacts(answer: unknown, messages: readonly ExtractionMessage[]): ExtractedFact[] {
  const parsed = answerSchema.safeParse(answer);
  if (!parsed.success) {
    const issues = validationIssuesOf(parsed.error).slice(0, 3);
    throw extractionFailed(
      'SCHEMA_MISMATCH',
      `extractor answer is invalid: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
    );
  }
  const known = new Set(messages.map((message) => message.id));
  const stray = parsed.data.find((fact) => !known.has(fact.messageId));
  if (stray) {
    throw extractionFailed(
      'UNKNOWN_MESSAGE',
      `extractor named unknown message ${JSON.stringify(stray.messageId)}`,
    );
  }
  return parsed.data;
}

function pending(
  facts: readonly ExtractedFact[],
  messages: readonly ExtractionMessage[],
  extractor: Extraction['extractor'],
  maskedFields: ReadonlyMap<string, string[]>,
): PendingFact[] {
  const observed = new Map(messages.map((message) => [message.id, message.observedAt]));
  return facts.map((fact) => ({
    ...fact,
    confidence: fact.confidence ?? (extractor === 'rules' ? RULE_CONFIDENCE : MODEL_CONFIDENCE),
    observedAt: observed.get(fact.messageId)!,
    metadata: { extractedBy: extractor },
    piiFields: MASK_TOKEN.test(fact.text) ? (maskedFields.get(fact.messageId) ?? []) : [],
  }));
}
