import {
  LIMITS,
  memoryKindSchema,
  memoryTypeSchema,
  searchHitSchema,
  searchInputSchema,
  searchResultSchema,
} from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { isoTimestamp } from './timestamps.js';
import { defineTool, projection } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const searchShape = searchInputSchema.shape;

const input = z
  .strictObject({
    ...personShape,
    query: searchShape.query.meta({ description: 'What to look for, in plain words.' }),
    max_results: searchShape.limit.meta({
      description: `How many hits (1-${LIMITS.searchLimitMax}, default ${LIMITS.searchLimitDefault}).`,
    }),
    types: z.array(memoryTypeSchema).min(1).optional(),
    kinds: z.array(memoryKindSchema).min(1).optional(),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    include_history: searchShape.includeHistory.meta({
      description: 'Also search superseded and resolved memories.',
    }),
  })
  .superRefine(notBoth);

const hitSchema = searchHitSchema.pick({
  id: true,
  kind: true,
  type: true,
  text: true,
  entities: true,
  status: true,
  score: true,
  source: true,
  observedAt: true,
  validFrom: true,
  validTo: true,
});

const output = searchResultSchema.extend({ hits: z.array(hitSchema) });
const hitOf = projection(hitSchema);

/** `memory_search`: hybrid lexical + vector search over one person's memories. */
export const memorySearch = defineTool({
  name: 'memory_search',
  title: 'Search memories',
  description:
    'Look up something specific about the person (an order, a past complaint) that memory_read did not ' +
    'bring. Hybrid keyword + semantic search; superseded facts only with include_history.',
  scope: SCOPES.read,
  input,
  output,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, session) {
    const result = await session.memnex.search({
      ...(await personCallOf(args, session)),
      query: args.query,
      limit: args.max_results,
      includeHistory: args.include_history,
      ...(args.types ? { types: args.types } : {}),
      ...(args.kinds ? { kinds: args.kinds } : {}),
      ...(args.since ? { since: args.since } : {}),
      ...(args.until ? { until: args.until } : {}),
    });
    return { ...result, hits: result.hits.map(hitOf) };
  },
});
