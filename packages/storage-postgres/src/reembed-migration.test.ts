import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { createPglite } from './pglite-database.js';
import { createPostgresStores } from './postgres-stores.js';

const DRIZZLE = new URL('../drizzle/', import.meta.url);
const journal = JSON.parse(await readFile(new URL('meta/_journal.json', DRIZZLE), 'utf8')) as {
  entries: Array<{ tag: string; when: number }>;
};
/** The last migration of the release that kept one vector per memory in `memory_index`. */
const BEFORE = '0004_memory-lifecycle';

const client = await createPglite();
afterAll(() => client.close());

/** Apply the migrations up to `last` as the runner would, recording them in its table. */
async function migrateUpTo(last: string): Promise<void> {
  await client.exec(
    'create schema drizzle; create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)',
  );
  for (const entry of journal.entries) {
    const text = await readFile(new URL(`${entry.tag}.sql`, DRIZZLE), 'utf8');
    await client.exec(text.replaceAll('--> statement-breakpoint', ''));
    await client.query(
      'insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)',
      [entry.tag, entry.when],
    );
    if (entry.tag === last) return;
  }
}

describe('the migration to vectors per model', () => {
  it('moves the vectors a previous release kept in memory_index, so searches still find them', async () => {
    await migrateUpTo(BEFORE);
    const vector = new Float32Array([0.6, 0.8, 0, 0]);
    await client.query(
      `insert into memory_index (tenant_id, memory_id, user_id, text, type, kind, current,
         observed_at, model, vector, dimensions, embedding)
       values ('t_1', 'm_1', 'u_1', 'Prefers email', 'preference', 'fact', true, now(),
         'local:use-lite-512', $1, 4, '[0.6,0.8,0,0]'),
         ('t_1', 'm_2', 'u_1', 'No vector', 'preference', 'fact', true, now(),
         null, null, null, null)`,
      [new Uint8Array(vector.buffer)],
    );
    const { applied } = await migrate({ client });
    expect(applied[0]).toBe('0005_reembed-vectors');

    const { semantic } = createPostgresStores({ client });
    await semantic.init();
    expect(semantic.vectorSearch).toBe('pgvector');
    const hits = await semantic.searchVector({
      tenantId: 't_1',
      userId: 'u_1',
      vector,
      model: 'local:use-lite-512',
      limit: 5,
    });
    expect(hits.map((hit) => hit.memoryId)).toEqual(['m_1']);
    expect(hits[0]?.score).toBeCloseTo(1, 5);
    expect(
      await semantic.findVectors({
        tenantId: 't_1',
        model: 'local:use-lite-512',
        memoryIds: ['m_1', 'm_2'],
      }),
    ).toEqual({ held: ['m_1', 'm_2'], withVector: ['m_1'] });
    const missing = await semantic.scanEntries({ limit: 10, missing: 'local:use-lite-512' });
    expect(missing.entries.map((entry) => entry.memoryId)).toEqual(['m_2']);
    await semantic.close();
  });
});
