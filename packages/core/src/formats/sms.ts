import { timeAgo } from '../util/time.js';
import { oneLine, type ContextFormatter } from './formatter.js';

/** Hard length of one SMS segment. */
export const SMS_MAX_CHARACTERS = 160;

/** SMS: one line of at most 160 characters; memories that do not fit are left out. */
export const smsFormatter: ContextFormatter = {
  format: 'sms',
  line: (item) => `${oneLine(item.text)}; `,
  render(items, context) {
    if (items.length === 0) return { text: '', used: [] };
    const when = context.lastSeenAt ? timeAgo(context.lastSeenAt, context.now) : null;
    const where = [context.lastChannel, when].filter(Boolean).join(', ');
    let text = where ? `Prev (${where}): ` : 'Prev: ';
    const used = [];
    for (const item of items) {
      const piece = oneLine(item.text);
      const separator = used.length === 0 ? '' : '; ';
      if (text.length + separator.length + piece.length <= SMS_MAX_CHARACTERS) {
        text += separator + piece;
        used.push(item);
      } else if (used.length === 0) {
        // The best memory alone is too long: keep its start rather than send nothing.
        const room = SMS_MAX_CHARACTERS - text.length - 1;
        if (room < 10) break;
        text += `${piece.slice(0, room).trimEnd()}…`;
        used.push(item);
        break;
      }
    }
    return used.length === 0 ? { text: '', used: [] } : { text, used };
  },
};
