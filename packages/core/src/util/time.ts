/** ISO-8601 UTC string of a Date or timestamp input. */
export function toIso(value: string | Date): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString();
}

const UNITS: Array<[seconds: number, short: string, long: string]> = [
  [365 * 86_400, 'y', 'year'],
  [30 * 86_400, 'mo', 'month'],
  [7 * 86_400, 'w', 'week'],
  [86_400, 'd', 'day'],
  [3600, 'h', 'hour'],
  [60, 'min', 'minute'],
];

/**
 * How long ago, e.g. `5 min ago` (`style: 'short'`) or `5 minutes ago` (`'long'`, for speech).
 */
export function timeAgo(fromIso: string, now: Date, style: 'short' | 'long' = 'short'): string {
  const seconds = Math.max(0, (now.getTime() - Date.parse(fromIso)) / 1000);
  for (const [unit, short, long] of UNITS) {
    if (seconds >= unit) {
      const count = Math.floor(seconds / unit);
      if (style === 'short') return `${count} ${short} ago`;
      return `${count} ${long}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}
