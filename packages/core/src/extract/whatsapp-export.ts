/** One line of a WhatsApp chat export that starts a message. */
export interface WhatsAppLine {
  /** Date and time as the export wrote them, e.g. `12/03/24, 10:15`; day/month order unknown. */
  sentAt: string;
  /** Sender name; null for system lines ("Messages and calls are end-to-end encrypted"). */
  speaker: string | null;
  text: string;
}

// iOS: "[12/03/24, 10:15] Priya: text" (seconds and AM/PM optional);
// Android: "12/03/2024, 10:15 - Priya: text". Bounded quantifiers keep matching linear.
const IOS =
  /^\u200e?\[(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},? \d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[APap]\.?[Mm]\.?)?)\]\s?(.*)$/u;
const ANDROID =
  /^\u200e?(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},? \d{1,2}[:.]\d{2}(?:\s?[APap]\.?[Mm]\.?)?) [-–] (.*)$/u;
const SENDER = /^([^:]{1,60}?): ?(.*)$/su;

/** Placeholders an export writes instead of content; they carry nothing to remember. */
const PLACEHOLDERS =
  /^(?:<media omitted>|<attached: [^>]{0,200}>|(?:image|video|audio|sticker|gif|document) omitted|this message was deleted|you deleted this message|null|missed (?:voice|video) call)$/iu;

/** Parse a line that starts a WhatsApp export message, or return null. */
export function parseWhatsAppLine(line: string): WhatsAppLine | null {
  const match = IOS.exec(line) ?? ANDROID.exec(line);
  if (!match) return null;
  const sentAt = match[1]!;
  const rest = match[2]!;
  const sender = SENDER.exec(rest);
  if (!sender) return { sentAt, speaker: null, text: rest.trim() };
  return { sentAt, speaker: sender[1]!.trim(), text: sender[2]!.trim() };
}

/** True for lines the export writes in place of media or deleted messages. */
export function isExportPlaceholder(text: string): boolean {
  return PLACEHOLDERS.test(text.replace(/\u200e/gu, '').trim());
}
