import { readFile } from 'node:fs/promises';

/** One dialog turn of a LoCoMo conversation. */
export interface Turn {
  diaId: string;
  speaker: string;
  text: string;
  caption: string | null;
  observedAt: string;
}

/** One benchmark question with its evidence turn ids. */
export interface Question {
  question: string;
  category: number;
  evidence: string[];
}

/** A conversation: its turns in order and its questions. */
export interface Conversation {
  sampleId: string;
  turns: Turn[];
  questions: Question[];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Parse LoCoMo session dates such as `1:56 pm on 8 May, 2023` (read as UTC). */
export function parseSessionDate(value: string): string {
  const match = /^(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})$/iu.exec(
    value.trim(),
  );
  if (!match) throw new Error(`unrecognised session date: ${value}`);
  const [, hour, minute, meridiem, day, monthName, year] = match as unknown as string[];
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month < 0) throw new Error(`unrecognised month in: ${value}`);
  const hours = (Number(hour) % 12) + (meridiem!.toLowerCase() === 'pm' ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hours, Number(minute))).toISOString();
}

interface RawTurn {
  dia_id: string;
  speaker: string;
  text: string;
  blip_caption?: string;
}

/** Load conversations: sessions ascending, turns in order; evidence ids that do not exist dropped. */
export async function loadConversations(path: string): Promise<Conversation[]> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as Array<{
    sample_id: string;
    conversation: Record<string, unknown>;
    qa: Array<{ question: string; category: number; evidence?: string[] }>;
  }>;
  return raw.map((sample) => {
    const sessions = Object.keys(sample.conversation)
      .map((key) => /^session_(\d+)$/u.exec(key))
      .filter(
        (match): match is RegExpExecArray =>
          match !== null && Array.isArray(sample.conversation[match[0]]),
      )
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const turns: Turn[] = [];
    for (const session of sessions) {
      const observedAt = parseSessionDate(
        String(sample.conversation[`session_${session}_date_time`]),
      );
      for (const turn of sample.conversation[`session_${session}`] as RawTurn[]) {
        turns.push({
          diaId: turn.dia_id,
          speaker: turn.speaker,
          text: turn.text,
          caption: turn.blip_caption ?? null,
          observedAt,
        });
      }
    }
    const ids = new Set(turns.map((turn) => turn.diaId));
    const questions = sample.qa.map((item) => ({
      question: item.question,
      category: item.category,
      evidence: (item.evidence ?? [])
        .flatMap((id) => id.split(/[;,]\s*/u))
        .map((id) => id.trim())
        .filter((id) => ids.has(id)),
    }));
    return {
      sampleId: sample.sample_id,
      turns,
      questions: questions.filter((question) => question.evidence.length > 0),
    };
  });
}

/** The memory text of a turn, as the protocol defines it. */
export function turnText(turn: Turn): string {
  return `${turn.speaker}: ${turn.text}${turn.caption ? ` [shares ${turn.caption}]` : ''}`;
}

/** Turns grouped by session (the `D<n>` prefix of their ids), in order. */
export function groupBySession(turns: Turn[]): Array<{ id: string; turns: Turn[] }> {
  const sessions: Array<{ id: string; turns: Turn[] }> = [];
  for (const turn of turns) {
    const id = turn.diaId.split(':')[0] ?? turn.diaId;
    const last = sessions.at(-1);
    if (last?.id === id) last.turns.push(turn);
    else sessions.push({ id, turns: [turn] });
  }
  return sessions;
}
