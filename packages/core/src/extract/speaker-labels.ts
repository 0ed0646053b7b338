/** A speaker label at the start of a transcript line. */
export interface LabelledLine {
  speaker: string;
  /** Timestamp written before the label, e.g. `00:01:02`, or null. */
  time: string | null;
  text: string;
}

/** Role words that name a speaker in transcripts, with a number or not ("Speaker 2"). */
const ROLE_WORDS =
  'agent|caller|customer|client|user|assistant|bot|representative|rep|operator|support|advisor|' +
  'adviser|executive|associate|specialist|technician|system|ivr|me|you|speaker|person|host|guest|' +
  'patient|doctor|receptionist|sales|helpdesk|csr|cs|human|ai|interviewer|interviewee';

const TIME =
  /^\s*[[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,3})?(?:\s?[APap][Mm])?)[\])]?\s*[-–]?\s*/u;
const ROLE_LABEL = new RegExp(
  `^((?:${ROLE_WORDS})(?:\\s?\\d{1,2})?)\\s*(?::|\\s[-–—]\\s|[-–—]\\s)\\s*(.*)$`,
  'isu',
);
// A personal or business name of up to four capitalised words, followed by a colon.
const NAME_LABEL = /^(\p{Lu}[\p{L}'.&-]{0,30}(?: \p{Lu}[\p{L}'.&-]{0,30}){0,3})\s?:\s+(.*)$/su;

/** Capitalised words before a colon that are headings, not speakers. */
const NOT_SPEAKERS = new Set(
  (
    'note notes update re fwd fw subject ps p.s fyi order ticket time date important edit warning ' +
    'error reason address email phone name total amount status tracking reference ref dear hi ' +
    'hello hey question answer step tip issue problem summary action details price cost item ' +
    'items product model plan account invoice booking case request response eta location from to ' +
    'cc bcc sent attachment link http https url password code otp pin'
  ).split(' '),
);

/**
 * Split a speaker label ("Agent:", "Caller -", "[00:01:02] Customer:", "Priya Shah:") from a
 * transcript line; null when the line has none.
 */
export function parseSpeakerLabel(line: string): LabelledLine | null {
  const timed = TIME.exec(line);
  const time = timed ? timed[1]! : null;
  const rest = timed ? line.slice(timed[0].length) : line;
  const role = ROLE_LABEL.exec(rest);
  if (role && role[2]!.trim()) return { speaker: role[1]!.trim(), time, text: role[2]!.trim() };
  const name = NAME_LABEL.exec(rest);
  if (name && name[2]!.trim() && !NOT_SPEAKERS.has(name[1]!.toLowerCase())) {
    return { speaker: name[1]!.trim(), time, text: name[2]!.trim() };
  }
  return null;
}
