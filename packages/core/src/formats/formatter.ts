import type { MemoryRecord } from '../model.js';
import type { Channel, ContextFormat, MemoryType } from '../wire/common.js';

/** What every format says besides the memories: the last channel and when. */
export interface FormatContext {
  lastChannel: Channel | null;
  lastSeenAt: string | null;
  now: Date;
}

/** A rendered context and the memories it actually contains (a format may leave some out). */
export interface Rendered {
  text: string;
  used: MemoryRecord[];
}

/** Renders ranked memories in one channel's shape. */
export interface ContextFormatter {
  readonly format: ContextFormat;
  /** Render `items` (rank order); an empty list renders as the empty string. */
  render(items: MemoryRecord[], context: FormatContext): Rendered;
  /** The text one memory contributes, used to estimate its token cost before rendering. */
  line(item: MemoryRecord): string;
}

/** Singular labels of memory types, as people read them. */
export const TYPE_LABELS: Readonly<Record<MemoryType, string>> = {
  issue: 'Issue',
  intent: 'Intent',
  preference: 'Preference',
  profile: 'Profile',
  resolution: 'Resolved',
  event: 'Note',
};

/** Plural section titles of memory types. */
export const TYPE_TITLES: Readonly<Record<MemoryType, string>> = {
  issue: 'Open issues',
  intent: 'Intents',
  preference: 'Preferences',
  profile: 'Profile',
  resolution: 'Resolutions',
  event: 'Notes',
};

/** Items grouped by type, groups in order of their best-ranked member. */
export function groupByType(items: MemoryRecord[]): Array<[MemoryType, MemoryRecord[]]> {
  const groups = new Map<MemoryType, MemoryRecord[]>();
  for (const item of items) {
    const group = groups.get(item.type);
    if (group) group.push(item);
    else groups.set(item.type, [item]);
  }
  return [...groups];
}

/** Whitespace that {@link oneLine} would change: other than single inner spaces. */
const NOT_ONE_LINE = /[^\S ]| {2}|^ | $/u;

/** One line of text: inner newlines and runs of whitespace collapsed. */
export function oneLine(text: string): string {
  // Most memories are one line already: testing is cheaper than rebuilding them on every read.
  return NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}
