const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;
const MONTH_NAME =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(?:,?\\s+(\\d{4}))?';

const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/gu;
const NUMERIC = /(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])/gu;
// "12 to 15 May", "12-15 May"
const DAY_RANGE = new RegExp(
  `\\b${DAY}\\s*(?:-|–|to)\\s*${DAY}(?:\\s+of)?\\s+(${MONTH_NAME})${YEAR}\\b`,
  'giu',
);
// "14th March 2024", "14 of March"
const DAY_MONTH = new RegExp(`\\b${DAY}(?:\\s+of)?\\s+(${MONTH_NAME})${YEAR}\\b`, 'giu');
// "March 14", "March 14th, 2024"
const MONTH_DAY = new RegExp(`\\b(${MONTH_NAME})\\s+${DAY}\\b${YEAR}`, 'giu');
const RELATIVE =
  /\b(day before yesterday|day after tomorrow|yesterday|today|tonight|tomorrow)\b/giu;
const RELATIVE_DAYS: Record<string, number> = {
  'day before yesterday': -2,
  yesterday: -1,
  today: 0,
  tonight: 0,
  tomorrow: 1,
  'day after tomorrow': 2,
};

const pad = (value: number) => String(value).padStart(2, '0');

function isDay(year: number | null, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year ?? 2024, month, 0)).getUTCDate();
  return day <= days;
}

function entityOf(year: number | null, month: number, day: number): string | null {
  if (!isDay(year, month, day)) return null;
  return year === null
    ? `date:--${pad(month)}-${pad(day)}`
    : `date:${year}-${pad(month)}-${pad(day)}`;
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
}

/**
 * Dates as `date:` entities in ISO 8601 where the text is unambiguous: `2026-04-10`,
 * `14 March 2024` -> `date:2024-03-14`, `14th March` -> `date:--03-14` (no year said),
 * `25/03/2024` -> `date:2024-03-25`. `12/03/2024` could be either order and is kept as written.
 * `today`, `yesterday` and `tomorrow` are resolved against `reference` (the message's time).
 */
export function findDates(text: string, reference: Date): string[] {
  const found: Array<[number, string]> = [];
  const taken: Array<[number, number]> = [];
  const add = (index: number, length: number, entity: string | null) => {
    if (!entity || taken.some(([start, end]) => index < end && index + length > start)) return;
    taken.push([index, index + length]);
    found.push([index, entity]);
  };
  for (const match of text.matchAll(ISO)) {
    add(
      match.index,
      match[0].length,
      entityOf(Number(match[1]), Number(match[2]), Number(match[3])),
    );
  }
  for (const match of text.matchAll(NUMERIC)) {
    const [first, second] = [Number(match[1]), Number(match[2])];
    const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
    const entity =
      first > 12
        ? entityOf(year, second, first)
        : second > 12
          ? entityOf(year, first, second)
          : isDay(year, second, first) || isDay(year, first, second)
            ? `date:${match[0]}`
            : null;
    add(match.index, match[0].length, entity);
  }
  for (const match of text.matchAll(DAY_RANGE)) {
    const month = monthOf(match[3]!);
    const year = match[4] ? Number(match[4]) : null;
    const from = entityOf(year, month, Number(match[1]));
    const to = entityOf(year, month, Number(match[2]));
    if (from && to) {
      add(match.index, match[0].length, from);
      found.push([match.index + 1, to]);
    }
  }
  for (const match of text.matchAll(DAY_MONTH)) {
    add(
      match.index,
      match[0].length,
      entityOf(match[3] ? Number(match[3]) : null, monthOf(match[2]!), Number(match[1])),
    );
  }
  for (const match of text.matchAll(MONTH_DAY)) {
    add(
      match.index,
      match[0].length,
      entityOf(match[3] ? Number(match[3]) : null, monthOf(match[1]!), Number(match[2])),
    );
  }
  for (const match of text.matchAll(RELATIVE)) {
    const day = new Date(reference.getTime());
    day.setUTCDate(day.getUTCDate() + RELATIVE_DAYS[match[1]!.toLowerCase()]!);
    add(
      match.index,
      match[0].length,
      entityOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()),
    );
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, entity]) => entity);
}
