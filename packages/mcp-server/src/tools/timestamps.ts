import { z } from 'zod';

/** An ISO-8601 timestamp with offset, e.g. `2026-03-01T09:00:00Z` (JSON has no Date). */
export const isoTimestamp = z.iso.datetime({ offset: true });
