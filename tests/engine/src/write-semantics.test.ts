import { describe, expect, it } from 'vitest';
import { MINUTE, manualClock, setup } from './setup.js';

describe('write: conflicts, history, dedupe, idempotency', () => {
  it('a newer profile:city supersedes the older one, and history still returns it', async () => {
    const clock = manualClock();
    const { memnex, tenantId } = await setup({ now: clock.now });
    const first = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [{ type: 'profile', text: 'Lives in Pune', slot: 'profile:city' }],
    });
    clock.advance(10 * MINUTE);
    const second = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [{ type: 'profile', text: 'Moved to Berlin', slot: 'profile:city' }],
    });
    const puneId = first.written[0]!.id;
    const berlinId = second.written[0]!.id;
    expect(second.superseded).toEqual([{ id: puneId, by: berlinId }]);

    const read = await memnex.read({ tenantId, user: 'priya' });
    expect(read.items.map((item) => item.text)).toEqual(['Moved to Berlin']);

    const current = await memnex.search({ tenantId, user: 'priya', query: 'Pune' });
    expect(current.hits.map((hit) => hit.id)).not.toContain(puneId);
    const history = await memnex.search({
      tenantId,
      user: 'priya',
      query: 'Pune',
      includeHistory: true,
    });
    expect(history.hits[0]).toMatchObject({
      id: puneId,
      status: 'superseded',
      supersededBy: berlinId,
    });

    const past = await memnex.read({
      tenantId,
      user: 'priya',
      asOf: new Date(clock.now().getTime() - 5 * MINUTE),
    });
    expect(past.items.map((item) => item.text)).toEqual(['Lives in Pune']);

    const { entries } = await memnex.timeline({ tenantId, user: 'priya' });
    expect(entries.map((entry) => [entry.event, entry.memory.text])).toEqual([
      ['created', 'Lives in Pune'],
      ['created', 'Moved to Berlin'],
      ['superseded', 'Lives in Pune'],
    ]);
  });

  it('a resolution closes the open issue on the same entity', async () => {
    const { memnex, tenantId } = await setup();
    const issue = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [
        { type: 'issue', text: 'Order #4521 arrived damaged', entities: ['order:4521'] },
        { type: 'issue', text: 'Cannot log in to the app', entities: ['account:login'] },
      ],
    });
    const resolution = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [
        {
          type: 'resolution',
          text: 'Refund of INR 499 issued for order 4521',
          entities: ['ORDER:4521'],
        },
      ],
    });
    expect(resolution.resolved).toEqual([
      { id: issue.written[0]!.id, by: resolution.written[0]!.id },
    ]);

    const read = await memnex.read({ tenantId, user: 'priya', types: ['issue'] });
    expect(read.items.map((item) => item.text)).toEqual(['Cannot log in to the app']);
    const history = await memnex.search({
      tenantId,
      user: 'priya',
      query: 'damaged order',
      includeHistory: true,
    });
    expect(history.hits.find((hit) => hit.id === issue.written[0]!.id)?.status).toBe('resolved');
  });

  it('does not store a duplicate twice, and accounts for every item', async () => {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: 'priya',
      facts: [{ type: 'intent', text: 'Wants a refund' }],
    });
    const again = await memnex.write({
      tenantId,
      user: 'priya',
      facts: [
        { type: 'intent', text: '  wants a REFUND. ' },
        { type: 'preference', text: 'Prefers morning calls' },
      ],
    });
    expect(again.deduplicated).toEqual([expect.objectContaining({ kind: 'fact', index: 0 })]);
    expect(again.written).toEqual([
      expect.objectContaining({ kind: 'fact', index: 1, type: 'preference' }),
    ]);
    const exported = await memnex.export({ tenantId, user: 'priya' });
    expect(exported.memories.filter((memory) => memory.type === 'intent')).toHaveLength(1);
  });

  it('a replayed idempotency key returns the first result and writes nothing', async () => {
    const { memnex, tenantId } = await setup();
    const request = {
      tenantId,
      user: 'priya',
      idempotencyKey: 'call-42-turn-3',
      facts: [{ type: 'issue' as const, text: 'Parcel lost in transit' }],
    };
    const first = await memnex.write(request);
    const replay = await memnex.write(request);
    expect(replay).toEqual({ ...first, ledgerSeq: null });
    const exported = await memnex.export({ tenantId, user: 'priya' });
    expect(exported.memories).toHaveLength(1);
    await expect(
      memnex.write({ ...request, facts: [{ type: 'issue', text: 'Something else' }] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('serialises concurrent writes to one slot: exactly one current value remains', async () => {
    const { memnex, tenantId } = await setup();
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        memnex.write({
          tenantId,
          user: 'priya',
          facts: [
            { type: 'preference', text: `Favourite colour ${index}`, slot: 'preference:colour' },
          ],
        }),
      ),
    );
    const read = await memnex.read({ tenantId, user: 'priya' });
    expect(read.items).toHaveLength(1);
    const exported = await memnex.export({ tenantId, user: 'priya' });
    expect(exported.memories).toHaveLength(20);
    expect(exported.memories.filter((memory) => memory.status === 'superseded')).toHaveLength(19);
  });

  it('stores messages verbatim, deduplicated by message id', async () => {
    const { memnex, tenantId } = await setup();
    const messages = [
      { id: 'm1', speaker: 'Priya', text: 'My parcel never came' },
      { id: 'm2', speaker: 'Agent', text: 'Sorry to hear that' },
    ];
    const first = await memnex.write({ tenantId, user: 'priya', messages });
    expect(first.written.map((item) => item.type)).toEqual(['event', 'event']);
    const again = await memnex.write({ tenantId, user: 'priya', messages });
    expect(again.deduplicated).toHaveLength(2);
    const { hits } = await memnex.search({
      tenantId,
      user: 'priya',
      query: 'parcel',
      kinds: ['message'],
    });
    expect(hits[0]).toMatchObject({
      text: 'Priya: My parcel never came',
      source: expect.objectContaining({ messageIds: ['m1'] }),
    });
  });

  it('indexes a message with the one before it in its session, so a reply is found by its question', async () => {
    const { memnex, tenantId } = await setup();
    await memnex.write({
      tenantId,
      user: 'priya',
      sessionId: 'call-1',
      messages: [
        { id: 'm1', speaker: 'Agent', text: 'Which city should we ship the replacement to?' },
        { id: 'm2', speaker: 'Priya', text: 'Lisbon, please.' },
      ],
    });
    await memnex.write({
      tenantId,
      user: 'priya',
      sessionId: 'call-1',
      messages: [{ id: 'm3', speaker: 'Agent', text: 'Noted, the courier will call first.' }],
    });
    const shipping = await memnex.search({
      tenantId,
      user: 'priya',
      query: 'replacement shipping city',
      limit: 3,
    });
    expect(shipping.hits.slice(0, 2).map((hit) => hit.source.messageIds[0])).toEqual(['m1', 'm2']);
    const courier = await memnex.search({ tenantId, user: 'priya', query: 'Lisbon', limit: 3 });
    expect(courier.hits.map((hit) => hit.source.messageIds[0])).toEqual(['m2', 'm3', 'm1']);
  });
});
