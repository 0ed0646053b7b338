import { timeAgo } from '../util/time.js';
import type { MemoryRecord } from '../model.js';
import type { ContextFormatter } from './formatter.js';

function entry(item: MemoryRecord) {
  return {
    id: item.id,
    type: item.type,
    text: item.text,
    entities: item.entities,
    observedAt: item.observedAt,
    channel: item.source.channel,
  };
}

/** App: a JSON document for programmatic use. */
export const appFormatter: ContextFormatter = {
  format: 'app',
  line: (item) => `${JSON.stringify(entry(item))},`,
  render(items, context) {
    if (items.length === 0) return { text: '', used: [] };
    const document = {
      lastChannel: context.lastChannel,
      lastSeenAt: context.lastSeenAt,
      lastSeenAgo: context.lastSeenAt ? timeAgo(context.lastSeenAt, context.now) : null,
      memories: items.map(entry),
    };
    return { text: JSON.stringify(document), used: items };
  },
};
