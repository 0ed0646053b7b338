import { MemnexError } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { setup } from './setup.js';

async function failure(promise: Promise<unknown>): Promise<MemnexError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!MemnexError.isInstance(error))
    throw new Error(`expected a MemnexError, got ${String(error)}`);
  return error;
}

function paths(error: MemnexError): string[] {
  return (error.details?.issues as Array<{ path: string }>).map((issue) => issue.path);
}

describe('bad input yields VALIDATION_FAILED with the field path and changes nothing', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['wrong type of text', { facts: [{ type: 'intent', text: 42 }] }, 'facts.0.text'],
    ['oversize text', { facts: [{ type: 'intent', text: 'x'.repeat(4097) }] }, 'facts.0.text'],
    [
      '51 facts',
      { facts: Array.from({ length: 51 }, () => ({ type: 'intent', text: 'ok' })) },
      'facts',
    ],
    ['unknown type', { facts: [{ type: 'gossip', text: 'ok' }] }, 'facts.0.type'],
    ['empty text', { facts: [{ type: 'intent', text: '   ' }] }, 'facts.0.text'],
    [
      'bad entity',
      { facts: [{ type: 'intent', text: 'ok', entities: ['no-colon'] }] },
      'facts.0.entities.0',
    ],
    [
      'confidence above 1',
      { facts: [{ type: 'intent', text: 'ok', confidence: 2 }] },
      'facts.0.confidence',
    ],
    ['unknown field', { facts: [{ type: 'intent', text: 'ok', colour: 'red' }] }, 'facts.0'],
    ['nothing to write', { facts: [] }, 'facts'],
    [
      'control characters in user id',
      { user: 'pri\u0000ya', facts: [{ type: 'intent', text: 'ok' }] },
      'user',
    ],
  ];

  it.each(cases)('write: %s', async (_name, patch, path) => {
    const { memnex, tenantId } = await setup();
    const error = await failure(memnex.write({ tenantId, user: 'priya', ...patch } as never));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(paths(error)).toContain(path);
    expect(await memnex.export({ tenantId, user: 'priya' })).toMatchObject({
      user: null,
      memories: [],
    });
  });

  it.each([
    ['budget 0', { tokenBudget: 0 }, 'tokenBudget'],
    ['budget 40000', { tokenBudget: 40_000 }, 'tokenBudget'],
    ['budget not an integer', { tokenBudget: '2000' }, 'tokenBudget'],
    ['unknown format', { format: 'fax' }, 'format'],
  ])('read: %s', async (_name, patch, path) => {
    const { memnex, tenantId } = await setup();
    const error = await failure(memnex.read({ tenantId, user: 'priya', ...patch } as never));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(paths(error)).toContain(path);
  });

  it.each([
    ['empty query', { query: '' }, 'query'],
    ['blank query', { query: '   ' }, 'query'],
    ['limit 51', { query: 'refund', limit: 51 }, 'limit'],
  ])('search: %s', async (_name, patch, path) => {
    const { memnex, tenantId } = await setup();
    const error = await failure(memnex.search({ tenantId, user: 'priya', ...patch } as never));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(paths(error)).toContain(path);
  });

  it('rejects a malformed tenant id, an invalid phone number and an empty draft', async () => {
    const { memnex, tenantId } = await setup();
    expect(paths(await failure(memnex.read({ tenantId: 'bad tenant!', user: 'priya' })))).toEqual([
      'tenantId',
    ]);
    const phone = await failure(
      memnex.write({
        tenantId,
        user: { identifier: { channel: 'sms', id: 'call me maybe' } },
        facts: [{ type: 'intent', text: 'ok' }],
      }),
    );
    expect(phone.code).toBe('VALIDATION_FAILED');
    expect(paths(await failure(memnex.trace({ tenantId, user: 'priya', draft: '' })))).toEqual([
      'draft',
    ]);
  });
});
