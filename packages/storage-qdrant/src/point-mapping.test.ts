import { makeIndexEntry, timestamp } from '@memnex/storage-conformance';
import { describe, expect, it } from 'vitest';
import { batchByModel, pointId } from './point-mapping.js';

describe('point mapping', () => {
  it('derives point ids from tenant and memory id (UUIDv5), so tenants never share a point', () => {
    const memoryId = '0190a1b2-0000-7000-8000-000000000001';
    // Pinned: other ids would orphan every stored point.
    expect(pointId('t_1', memoryId)).toBe('66fac0e5-5e13-5e5f-8905-8fdba8519648');
    expect(pointId('t_2', memoryId)).not.toBe(pointId('t_1', memoryId));
    expect(pointId('t_1', 'not-a-uuid')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('maps an entry to ids and filter fields only, with observedAt in epoch milliseconds', () => {
    const entry = makeIndexEntry({
      text: 'secret text',
      context: 'secret context',
      vector: Float32Array.from([0.5, 0.25]),
      model: 'm',
      observedAt: timestamp(90),
    });
    const { byModel, pointIds } = batchByModel('t_1', [entry]);
    const point = byModel.get('m')![0]!.point;
    expect(point).toEqual({
      id: pointId('t_1', entry.memoryId),
      vector: [0.5, 0.25],
      payload: {
        tenant_id: 't_1',
        user_id: entry.userId,
        memory_id: entry.memoryId,
        type: entry.type,
        kind: entry.kind,
        current: true,
        observed_at: Date.parse(timestamp(90)),
      },
    });
    expect(pointIds).toEqual([point.id]);
  });

  it('keeps the last entry of a repeated id and lists entries without a usable vector', () => {
    const repeated = makeIndexEntry({ vector: Float32Array.from([1, 0]), model: 'm' });
    const none = makeIndexEntry();
    const zero = makeIndexEntry({ vector: Float32Array.from([0, 0]), model: 'm' });
    const { byModel, pointIds } = batchByModel('t_1', [
      repeated,
      none,
      zero,
      { ...repeated, type: 'issue' },
    ]);
    expect(byModel.get('m')!.map(({ point, index }) => [point.payload.type, index])).toEqual([
      ['issue', 3],
    ]);
    expect(pointIds.sort()).toEqual(
      [repeated, none, zero].map((entry) => pointId('t_1', entry.memoryId)).sort(),
    );
  });
});
