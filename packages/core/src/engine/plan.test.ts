import { describe, expect, it } from 'vitest';
import type { TenantRecord } from '../model.js';
import { memoryRecord } from '../testing/records.js';
import { planWrite, type PlanInput } from './plan.js';
import { contentHashOf, type PreparedItem } from './prepare.js';

const tenant: TenantRecord = {
  id: 't_test',
  name: 'test',
  createdAt: '',
  disabled: false,
  settings: {},
};

function fact(
  index: number,
  overrides: Partial<PreparedItem> & { text: string; type: PreparedItem['type'] },
): PreparedItem {
  return {
    kind: 'fact',
    index,
    contentHash: contentHashOf(overrides.type, overrides.text),
    slot: overrides.entities?.[0] ? `${overrides.type}:${overrides.entities[0]}` : null,
    entities: [],
    confidence: 0.9,
    supersedes: [],
    observedAt: '2026-02-01T00:00:00.000Z',
    expiresAt: null,
    metadata: {},
    piiFields: [],
    messageId: null,
    ...overrides,
  };
}

let ids = 0;
function input(
  items: PreparedItem[],
  current: PlanInput['current'] = [],
  settings: TenantRecord['settings'] = {},
): PlanInput {
  return {
    tenant: { ...tenant, settings },
    userId: 'u_internal',
    items,
    current,
    storedMessages: new Map(),
    trust: 'agent_action',
    sessionId: null,
    channel: 'voice',
    agentId: null,
    now: '2026-02-01T00:00:00.000Z',
    newId: () => `new-${(ids += 1)}`,
  };
}

describe('planWrite', () => {
  it('supersedes the older fact in the same slot and keeps it as history', () => {
    const pune = memoryRecord({
      type: 'profile',
      text: 'Lives in Pune',
      slot: 'profile:city:pune',
      observedAt: '2026-01-01T00:00:00.000Z',
    });
    const old = { ...pune, slot: 'profile:city' };
    const plan = planWrite(
      input([fact(0, { type: 'profile', text: 'Lives in Berlin', slot: 'profile:city' })], [old]),
    );
    const berlin = plan.insert[0]!;
    expect(plan.superseded).toEqual([{ id: old.id, by: berlin.id }]);
    expect(plan.update).toEqual([
      {
        id: old.id,
        set: expect.objectContaining({
          status: 'superseded',
          supersededBy: berlin.id,
          validTo: berlin.validFrom,
        }),
      },
    ]);
  });

  it('keeps a late-arriving older fact behind the current one', () => {
    const current = memoryRecord({
      type: 'profile',
      text: 'Lives in Berlin',
      slot: 'profile:city',
      observedAt: '2026-03-01T00:00:00.000Z',
    });
    const plan = planWrite(
      input([fact(0, { type: 'profile', text: 'Lives in Pune', slot: 'profile:city' })], [current]),
    );
    expect(plan.update).toEqual([]);
    expect(plan.insert[0]).toMatchObject({
      status: 'superseded',
      supersededBy: current.id,
      validTo: current.validFrom,
    });
  });

  it('resolves an open issue that shares an entity with a resolution', () => {
    const issue = memoryRecord({
      type: 'issue',
      text: 'Order 4521 arrived damaged',
      entities: ['order:4521'],
      slot: 'issue:order:4521',
    });
    const plan = planWrite(
      input(
        [
          fact(0, {
            type: 'resolution',
            text: 'Refund of INR 499 issued',
            entities: ['order:4521'],
          }),
        ],
        [issue],
      ),
    );
    expect(plan.resolved).toEqual([{ id: issue.id, by: plan.insert[0]!.id }]);
    expect(plan.update[0]!.set).toMatchObject({ status: 'resolved' });
  });

  it('deduplicates an identical fact, in the store and within one batch', () => {
    const stored = memoryRecord({
      type: 'intent',
      text: 'Wants a refund',
      contentHash: contentHashOf('intent', 'Wants a refund'),
    });
    const plan = planWrite(
      input(
        [
          fact(0, { type: 'intent', text: 'wants a refund.' }),
          fact(1, { type: 'issue', text: 'Screen cracked' }),
          fact(2, { type: 'issue', text: 'Screen  CRACKED' }),
        ],
        [stored],
      ),
    );
    expect(plan.deduplicated.map((item) => [item.index, item.id])).toEqual([
      [0, stored.id],
      [2, plan.insert[0]!.id],
    ]);
    expect(plan.insert).toHaveLength(1);
    expect(plan.update[0]).toMatchObject({ id: stored.id, set: { seenCount: 2 } });
  });

  it('keeps both facts of a slot under keep_both, and never dedupes under append_only', () => {
    const current = memoryRecord({
      type: 'preference',
      text: 'Likes tea',
      slot: 'preference:drink',
      contentHash: contentHashOf('preference', 'Likes tea'),
    });
    const keepBoth = planWrite(
      input(
        [fact(0, { type: 'preference', text: 'Likes coffee', slot: 'preference:drink' })],
        [current],
        { conflictPolicy: { preference: 'keep_both' } },
      ),
    );
    expect(keepBoth.superseded).toEqual([]);
    const appendOnly = planWrite(
      input(
        [fact(0, { type: 'preference', text: 'Likes tea', slot: 'preference:drink' })],
        [current],
        { conflictPolicy: { preference: 'append_only' } },
      ),
    );
    expect(appendOnly.insert).toHaveLength(1);
    expect(appendOnly.deduplicated).toEqual([]);
  });

  it('rejects an explicit supersedes of a memory that is not current, and accounts for every item', () => {
    const plan = planWrite(
      input([fact(0, { type: 'intent', text: 'Wants to upgrade', supersedes: ['missing-id'] })]),
    );
    expect(plan.insert).toEqual([]);
    expect(plan.rejected).toEqual([
      expect.objectContaining({ kind: 'fact', index: 0, code: 'NOT_FOUND' }),
    ]);
  });
});
