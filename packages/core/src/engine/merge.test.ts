import { describe, expect, it } from 'vitest';
import type { TenantRecord } from '../model.js';
import { memoryRecord } from '../testing/records.js';
import { mergeConflicts } from './merge.js';

const tenant = (settings: TenantRecord['settings'] = {}): TenantRecord => ({
  id: 't_test',
  name: 'test',
  createdAt: '',
  disabled: false,
  settings,
});

describe('mergeConflicts', () => {
  const pune = memoryRecord({
    text: 'Lives in Pune',
    type: 'profile',
    slot: 'profile:city',
    validFrom: '2026-01-01T00:00:00.000Z',
  });
  const mumbai = memoryRecord({
    text: 'Lives in Mumbai',
    type: 'profile',
    slot: 'profile:city',
    validFrom: '2026-02-01T00:00:00.000Z',
  });

  it('makes the older value of a shared latest-wins slot history, whichever side holds it', () => {
    expect(mergeConflicts(tenant(), [pune], [mumbai])).toEqual([{ id: pune.id, by: mumbai.id }]);
    expect(mergeConflicts(tenant(), [mumbai], [pune])).toEqual([{ id: pune.id, by: mumbai.id }]);
  });

  it('keeps both values when the type is keep_both or append_only', () => {
    for (const policy of ['keep_both', 'append_only'] as const) {
      expect(
        mergeConflicts(tenant({ conflictPolicy: { profile: policy } }), [pune], [mumbai]),
      ).toEqual([]);
    }
  });

  it("retires the merged side's copy of an identical fact", () => {
    const mine = memoryRecord({ text: 'Prefers SMS', type: 'preference', contentHash: 'same' });
    const theirs = memoryRecord({ text: 'Prefers SMS', type: 'preference', contentHash: 'same' });
    expect(mergeConflicts(tenant(), [mine], [theirs])).toEqual([{ id: theirs.id, by: mine.id }]);
  });

  it('leaves facts of different slots, and slotless facts, alone', () => {
    const issue = memoryRecord({ text: 'Router reboots', type: 'issue', slot: null });
    const other = memoryRecord({ text: 'Wants fibre', type: 'intent', slot: 'intent:plan' });
    expect(mergeConflicts(tenant(), [pune, issue], [other])).toEqual([]);
  });
});
