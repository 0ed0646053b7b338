import { z } from 'zod';

/** What a tenant holds now: people and current memories, by kind, type and channel. */
export const tenantStatsSchema = z.object({
  tenantId: z.string(),
  users: z.number().int().meta({ description: 'People: users that are not aliases of another.' }),
  memories: z.object({
    current: z.number().int(),
    byKind: z.record(z.string(), z.number().int()),
    byType: z.record(z.string(), z.number().int()),
    byChannel: z
      .record(z.string(), z.number().int())
      .meta({ description: 'By source channel; `unknown` when a write named none.' }),
  }),
  oldest: z.string().nullable().meta({ description: 'Earliest observedAt of current memories.' }),
  newest: z.string().nullable(),
});
export type TenantStatsView = z.infer<typeof tenantStatsSchema>;
