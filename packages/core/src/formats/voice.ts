import { timeAgo } from '../util/time.js';
import { TYPE_TITLES, groupByType, type ContextFormatter } from './formatter.js';

const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
const MARKDOWN = /[*_`#>|~[\]{}<]|\(\s*\)/gu;

/** Text fit to be spoken: no URLs, no markdown symbols, one line, no trailing stop. */
export function speakable(text: string): string {
  return text
    .replace(URL, '')
    .replace(MARKDOWN, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;,:!?]+$/u, '');
}

/** Voice: one short spoken paragraph, no URLs, no markdown, no line breaks. */
export const voiceFormatter: ContextFormatter = {
  format: 'voice',
  line: (item) => `${speakable(item.text)}; `,
  render(items, context) {
    const spoken = items.filter((item) => speakable(item.text).length > 0);
    if (spoken.length === 0) return { text: '', used: [] };
    const when = context.lastSeenAt ? timeAgo(context.lastSeenAt, context.now, 'long') : null;
    const opening =
      context.lastChannel && when
        ? `Returning customer, last contact by ${context.lastChannel} ${when}.`
        : when
          ? `Returning customer, last contact ${when}.`
          : 'Returning customer.';
    const sentences = groupByType(spoken).map(
      ([type, group]) =>
        `${TYPE_TITLES[type]}: ${group.map((item) => speakable(item.text)).join('; ')}.`,
    );
    return { text: [opening, ...sentences].join(' '), used: spoken };
  },
};
