import { timeAgo } from '../util/time.js';
import { TYPE_TITLES, groupByType, oneLine, type ContextFormatter } from './formatter.js';

/** Web: markdown, one section per memory type. */
export const webFormatter: ContextFormatter = {
  format: 'web',
  line: (item) => `- ${oneLine(item.text)}`,
  render(items, context) {
    if (items.length === 0) return { text: '', used: [] };
    const seen = [
      context.lastSeenAt ? `last seen ${timeAgo(context.lastSeenAt, context.now)}` : null,
      context.lastChannel ? `via ${context.lastChannel}` : null,
    ].filter(Boolean);
    const sections = groupByType(items).map(
      ([type, group]) =>
        `**${TYPE_TITLES[type]}**\n${group.map((item) => this.line(item)).join('\n')}`,
    );
    const header = `## Customer context${seen.length ? ` (${seen.join(' ')})` : ''}`;
    return { text: [header, ...sections].join('\n\n'), used: items };
  },
};
