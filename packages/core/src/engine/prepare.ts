import { createHash } from 'node:crypto';
import { TRUST_LEVELS, type MemoryKind, type MemoryType } from '../wire/common.js';
import type { WriteRequest } from '../wire/memory.js';
import type { MemoryRecord, TenantRecord } from '../model.js';
import type { MaskResult, ScreenVerdict } from '../seams.js';
import { normalizeText } from '../text/analyze.js';
import { toIso } from '../util/time.js';
import type { EngineContext } from './context.js';

/** One input item after screening and masking, ready to be planned. */
export interface PreparedItem extends Pick<
  MemoryRecord,
  | 'kind'
  | 'type'
  | 'text'
  | 'contentHash'
  | 'slot'
  | 'entities'
  | 'confidence'
  | 'observedAt'
  | 'expiresAt'
  | 'metadata'
  | 'piiFields'
> {
  /** Index in its input list. */
  index: number;
  /** Ids of memories this fact explicitly replaces. */
  supersedes: string[];
  /** Id of the conversation message: of a message that carries one, or the one a fact came from. */
  messageId: string | null;
}

/** A fact to prepare: given by the caller, or extracted from raw text. */
export type PrepareFact = WriteRequest['facts'][number] & {
  /** The message an extracted fact came from. */
  messageId?: string;
  /** PII kinds masked in that message before a model read it. */
  piiFields?: string[];
};

/** A message to prepare; one of raw text comes screened, and masked when admitted, by extraction. */
export type PrepareMessage = WriteRequest['messages'][number] & {
  /** The injection screen's verdict on the message, when already asked. */
  screened?: ScreenVerdict;
  /** The message's text as masked for storage, when already masked. */
  masked?: MaskResult;
};

/** What {@link prepareItems} reads of a write. */
export interface PrepareInput {
  facts: PrepareFact[];
  messages: PrepareMessage[];
  trust: WriteRequest['trust'];
}

/** The text a message is screened, masked and stored as: `"<speaker>: <text>"`. */
export function messageText(message: { speaker?: string | null; text: string }): string {
  return message.speaker ? `${message.speaker}: ${message.text}` : message.text;
}

/** An input item refused before planning. */
export interface RejectedItem {
  kind: MemoryKind;
  index: number;
  reason: string;
  code: string;
}

/** `type:value` with the type lower-cased and both sides trimmed; duplicates removed. */
export function normalizeEntities(entities: string[]): string[] {
  const seen = new Set<string>();
  for (const entity of entities) {
    const separator = entity.indexOf(':');
    const type = entity.slice(0, separator).trim().toLowerCase();
    const value = entity.slice(separator + 1).trim();
    if (type && value) seen.add(`${type}:${value}`);
  }
  return [...seen];
}

/** Hash identifying a fact's content for deduplication: its type and normalised text. */
export function contentHashOf(type: MemoryType, text: string): string {
  return createHash('sha256')
    .update(`${type}\n${normalizeText(text)}`)
    .digest('hex');
}

/** Screen, mask and normalise every input item; refused items are returned apart, never lost. */
export async function prepareItems(
  context: EngineContext,
  tenant: TenantRecord,
  input: PrepareInput,
): Promise<{ items: PreparedItem[]; rejected: RejectedItem[] }> {
  const now = context.now();
  const items: PreparedItem[] = [];
  const rejected: RejectedItem[] = [];
  const retention = tenant.settings.retention ?? {};

  const admit = async (
    kind: MemoryKind,
    index: number,
    field: string,
    raw: string,
    done: { screened?: ScreenVerdict; masked?: MaskResult } = {},
  ) => {
    const verdict =
      done.screened ?? (await context.screen.screen({ tenantId: tenant.id, text: raw, field }));
    if (!verdict.allowed) {
      rejected.push({ kind, index, reason: verdict.reason, code: 'INJECTION_DETECTED' });
      return null;
    }
    return done.masked ?? mask(raw);
  };
  const mask = (text: string) =>
    context.masker.mask({
      tenantId: tenant.id,
      text,
      defaultRegion: tenant.settings.defaultRegion,
    });
  /** Entity values can hold PII too (`email:...`); they are masked like text. */
  const maskEntities = async (entities: string[]) => {
    const fields = new Set<string>();
    const masked: string[] = [];
    for (const entity of entities) {
      const separator = entity.indexOf(':');
      const value = await mask(entity.slice(separator + 1));
      value.fields.forEach((field) => fields.add(field));
      masked.push(`${entity.slice(0, separator)}:${value.text}`);
    }
    return { entities: masked, fields: [...fields] };
  };
  const expiry = (type: MemoryType, ttl: number | undefined) => {
    const seconds = ttl ?? retention[type];
    return seconds === undefined ? null : new Date(now.getTime() + seconds * 1000).toISOString();
  };

  const minTrust = { ...context.minTrust, ...tenant.settings.minTrust };
  const trustRank = TRUST_LEVELS.indexOf(input.trust);

  for (const [index, fact] of input.facts.entries()) {
    const required = minTrust[fact.type];
    if (required && trustRank < TRUST_LEVELS.indexOf(required)) {
      rejected.push({
        kind: 'fact',
        index,
        code: 'TRUST_TOO_LOW',
        reason: `${fact.type} facts need trust ${required} or higher (got ${input.trust})`,
      });
      continue;
    }
    const masked = await admit('fact', index, `facts.${index}.text`, fact.text);
    if (!masked) continue;
    const maskedEntities = await maskEntities(normalizeEntities(fact.entities));
    const entities = maskedEntities.entities;
    const piiFields = [
      ...new Set([...masked.fields, ...maskedEntities.fields, ...(fact.piiFields ?? [])]),
    ].sort();
    items.push({
      kind: 'fact',
      index,
      type: fact.type,
      text: masked.text,
      contentHash: contentHashOf(fact.type, masked.text),
      slot:
        fact.slot?.trim().toLowerCase() ??
        (entities[0] ? `${fact.type}:${entities[0].toLowerCase()}` : null),
      entities,
      confidence: fact.confidence,
      supersedes: fact.supersedes ?? [],
      observedAt: fact.observedAt ? toIso(fact.observedAt) : now.toISOString(),
      expiresAt: expiry(fact.type, fact.ttl),
      metadata: fact.metadata ?? {},
      piiFields,
      messageId: fact.messageId ?? null,
    });
  }

  for (const [index, message] of input.messages.entries()) {
    const raw = messageText(message);
    const masked = await admit('message', index, `messages.${index}.text`, raw, message);
    if (!masked) continue;
    items.push({
      kind: 'message',
      index,
      type: 'event',
      text: masked.text,
      contentHash: contentHashOf('event', masked.text),
      slot: null,
      entities: [],
      confidence: 1,
      supersedes: [],
      observedAt: message.observedAt ? toIso(message.observedAt) : now.toISOString(),
      expiresAt: expiry('event', undefined),
      metadata: message.metadata ?? {},
      piiFields: masked.fields,
      messageId: message.id ?? null,
    });
  }
  return { items, rejected };
}
