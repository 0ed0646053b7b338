import { timeAgo } from '../util/time.js';
import { TYPE_LABELS, oneLine, type ContextFormatter } from './formatter.js';

/** WhatsApp: a short bold header, then one bullet line per memory. */
export const whatsappFormatter: ContextFormatter = {
  format: 'whatsapp',
  line: (item) => `• ${TYPE_LABELS[item.type]}: ${oneLine(item.text)}`,
  render(items, context) {
    if (items.length === 0) return { text: '', used: [] };
    const when = context.lastSeenAt ? timeAgo(context.lastSeenAt, context.now) : null;
    const where = [context.lastChannel, when].filter(Boolean).join(', ');
    const header = `*Previous interaction${where ? ` (${where})` : ''}:*`;
    return { text: [header, ...items.map((item) => this.line(item))].join('\n'), used: items };
  },
};
