import type { ScanCursor, ScannedEntry, SemanticIndex } from '@memnex/core';
import { beforeEach, expect, it } from 'vitest';
import { makeIndexEntry, randomHex, timestamp } from '../fixtures.js';
import { MODEL, createIndexScene, vector, type IndexScene } from './scene.js';

/**
 * Every entry of the scene's two tenants, scanned in pages of `limit` from just before the
 * smaller tenant id; entries of other tenants (other tests sharing the store) are left out.
 */
async function scanScene(
  index: SemanticIndex,
  scene: IndexScene,
  options: { limit: number; missing?: string },
): Promise<{ entries: ScannedEntry[]; pages: number }> {
  const tenants = [scene.tenantA, scene.tenantB].sort();
  let after: ScanCursor | null = { tenantId: tenants[0]!, memoryId: '' };
  const entries: ScannedEntry[] = [];
  let pages = 0;
  while (after) {
    const page: { entries: ScannedEntry[]; next: ScanCursor | null } = await index.scanEntries({
      after,
      ...options,
    });
    pages += 1;
    expect(page.entries.length).toBeLessThanOrEqual(options.limit);
    entries.push(...page.entries.filter((entry) => tenants.includes(entry.tenantId)));
    after = page.next;
    // Past the scene's tenants: the rest belongs to others.
    if (page.entries.some((entry) => entry.tenantId > tenants[1]!)) break;
  }
  return { entries, pages };
}

/** A message entry's own fields, none of them a default of `makeIndexEntry`, which a scan returns. */
const MESSAGE_FIELDS = {
  text: 'Moved to Lisbon in May',
  context: 'When did you move?',
  type: 'event',
  kind: 'message',
  current: false,
  observedAt: timestamp(42),
} as const;

/** Scans across tenants: order, paging, the `missing` filter and what an entry carries. */
export function describeScans(index: () => SemanticIndex): void {
  let scene: IndexScene;

  beforeEach(() => {
    scene = createIndexScene();
  });

  it('pages through the entries of every tenant in (tenant, memory id) order', async () => {
    const inA = await scene.add(index(), [{}, {}, {}]);
    const inB = [makeIndexEntry({ userId: scene.otherUserId }), makeIndexEntry()];
    await index().upsert({ tenantId: scene.tenantB, entries: inB });
    const { entries, pages } = await scanScene(index(), scene, { limit: 2 });
    const expected = [
      ...inA.map((entry) => ({ tenantId: scene.tenantA, memoryId: entry.memoryId })),
      ...inB.map((entry) => ({ tenantId: scene.tenantB, memoryId: entry.memoryId })),
    ].sort(
      (left, right) =>
        (left.tenantId < right.tenantId ? -1 : left.tenantId > right.tenantId ? 1 : 0) ||
        (left.memoryId < right.memoryId ? -1 : left.memoryId > right.memoryId ? 1 : 0),
    );
    expect(entries.map(({ tenantId, memoryId }) => ({ tenantId, memoryId }))).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('with missing, lists only the entries without a vector of that model, whole', async () => {
    const other = `conformance:other-${randomHex(4)}`;
    const [withModel, withoutVector, withOther] = await scene.add(index(), [
      { vector: vector(1, 0, 0, 0), model: MODEL },
      MESSAGE_FIELDS,
      { vector: vector(0, 1, 0, 0), model: other },
    ]);
    const { entries } = await scanScene(index(), scene, { limit: 10, missing: MODEL });
    const ids = entries.map((entry) => entry.memoryId);
    expect(ids).not.toContain(withModel!.memoryId);
    expect([...ids].sort()).toEqual([withoutVector!.memoryId, withOther!.memoryId].sort());
    const scanned = entries.find((entry) => entry.memoryId === withoutVector!.memoryId);
    expect(scanned).toEqual({
      tenantId: scene.tenantA,
      memoryId: withoutVector!.memoryId,
      userId: scene.userId,
      ...MESSAGE_FIELDS,
    });
    expect(scanned).not.toHaveProperty('vector');
  });

  it('stops at the end with next null, and skips entries that got the vector meanwhile', async () => {
    const entries = await scene.add(index(), [{}, {}]);
    const [first, second] = [...entries].sort((a, b) => (a.memoryId < b.memoryId ? -1 : 1));
    await index().upsertVectors({
      tenantId: scene.tenantA,
      entries: [{ ...first!, vector: vector(1, 0, 0, 0), model: MODEL }],
    });
    const { entries: missing } = await scanScene(index(), scene, { limit: 5, missing: MODEL });
    expect(missing.map((entry) => entry.memoryId)).toEqual([second!.memoryId]);
    // `~` sorts after every character a tenant id may hold.
    const last = await index().scanEntries({ after: { tenantId: '~', memoryId: '' }, limit: 5 });
    expect(last).toEqual({ entries: [], next: null });
  });
}
