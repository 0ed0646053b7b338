import { createHash } from 'node:crypto';
import { MemnexError } from '../errors.js';
import { LIMITS, type Channel } from '../wire/common.js';
import type { RawTextInput } from '../wire/memory.js';
import { toIso } from '../util/time.js';
import { removeDisfluencies } from './disfluencies.js';
import { stripEmailHistory } from './email-text.js';
import type { ExtractionMessage } from './fact-extractor.js';
import { parseSpeakerLabel } from './speaker-labels.js';
import { assignRoles } from './speaker-roles.js';
import { isExportPlaceholder, parseWhatsAppLine } from './whatsapp-export.js';

/** A message of a raw-text write, cleaned and ready to be stored and extracted from. */
export interface RawTextMessage extends ExtractionMessage {
  /** Kept with the stored message: `speaker`, `role`, and `sentAt` for chat exports. */
  metadata: Record<string, unknown>;
}

/** Options of {@link rawTextMessages}. */
export interface RawTextOptions {
  /** Channel of the conversation; `voice` gets spoken-language clean-up. */
  channel: Channel | null;
  /** Time of messages that do not carry their own. */
  now: Date;
}

interface Block {
  speaker: string | null;
  text: string;
  id?: string;
  observedAt?: string;
  sentAt?: string;
  time?: string;
}

/**
 * Turn raw text into cleaned messages: a string is split into speaker turns (WhatsApp export
 * lines, transcript labels such as "Agent:" or "[00:01:02] Customer:", or else one message per
 * text), a list keeps its messages. Every message is cleaned for the channel (voice loses
 * fillers and repeated words), gets a role, and gets an id: its own, or one derived from the
 * raw text, so the same text always yields the same ids. Messages that cleaning leaves empty are
 * dropped. Throws `VALIDATION_FAILED` when a string splits into more than
 * `LIMITS.rawMessagesPerWrite` messages.
 */
export function rawTextMessages(rawText: RawTextInput, options: RawTextOptions): RawTextMessage[] {
  const blocks =
    typeof rawText === 'string'
      ? splitTurns(
          options.channel === 'email' || options.channel === null
            ? stripEmailHistory(rawText)
            : rawText,
        )
      : rawText.map((message) => ({
          speaker: message.speaker ?? null,
          text: message.text,
          ...(message.id === undefined ? {} : { id: message.id }),
          ...(message.observedAt === undefined ? {} : { observedAt: toIso(message.observedAt) }),
        }));
  const digest = createHash('sha256').update(JSON.stringify(rawText)).digest('hex').slice(0, 16);
  const spoken = options.channel === 'voice';
  const cleaned = blocks
    .flatMap((block) => splitLong({ ...block, text: removeDisfluencies(block.text, { spoken }) }))
    .filter((block) => /[\p{L}\p{N}]/u.test(block.text));
  if (cleaned.length > LIMITS.rawMessagesPerWrite) {
    throw MemnexError.validation([
      {
        path: 'rawText',
        message: `splits into ${cleaned.length} messages; send at most ${LIMITS.rawMessagesPerWrite} per write`,
        code: 'too_big',
      },
    ]);
  }
  const roles = assignRoles(cleaned);
  const now = options.now.toISOString();
  return cleaned.map((block, position) => {
    const role = roles[position]!;
    const metadata: Record<string, unknown> = { rawText: true, role };
    if (block.speaker !== null) metadata.speaker = block.speaker;
    if (block.sentAt !== undefined) metadata.sentAt = block.sentAt;
    if (block.time !== undefined) metadata.time = block.time;
    return {
      id: block.id ?? `rt-${digest}-${position}`,
      speaker: block.speaker,
      role,
      text: block.text,
      observedAt: block.observedAt ?? now,
      metadata,
    };
  });
}

/** Speaker turns of a string; lines without a label continue the turn before them. */
function splitTurns(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const rawLine of text.replace(/\r\n?/gu, '\n').split('\n')) {
    const line = rawLine.trimEnd();
    const exported = parseWhatsAppLine(line);
    if (exported) {
      // System lines ("Messages and calls are end-to-end encrypted") and media placeholders.
      if (exported.speaker === null || isExportPlaceholder(exported.text)) {
        current = null;
        continue;
      }
      current = { speaker: exported.speaker, text: exported.text, sentAt: exported.sentAt };
      blocks.push(current);
      continue;
    }
    const labelled = parseSpeakerLabel(line);
    if (labelled) {
      current = { speaker: labelled.speaker, text: labelled.text };
      if (labelled.time !== null) current.time = labelled.time;
      blocks.push(current);
      continue;
    }
    if (current === null) {
      if (!line.trim()) continue;
      current = { speaker: null, text: line };
      blocks.push(current);
    } else {
      current.text += `\n${line}`;
    }
  }
  return blocks;
}

/** Split a message longer than a stored message may be at word boundaries. */
function splitLong(block: Block): Block[] {
  const limit = LIMITS.messageTextLength;
  if (block.text.length <= limit) return [block];
  const parts: Block[] = [];
  let rest = block.text;
  while (rest.length > limit) {
    const cut = rest.lastIndexOf(' ', limit);
    const end = cut > limit / 2 ? cut : limit;
    parts.push({ ...block, text: rest.slice(0, end).trim(), id: undefined });
    rest = rest.slice(end).trim();
  }
  if (rest) parts.push({ ...block, text: rest, id: undefined });
  return parts.map((part, index) =>
    block.id === undefined
      ? part
      : { ...part, id: index === 0 ? block.id : `${block.id}#${index}` },
  );
}
