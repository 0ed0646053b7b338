import type { BusEvent } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { parseBusEvent } from './bus-event.js';

const VALID: BusEvent[] = [
  { type: 'memory.changed', tenantId: 't', userId: 'u', externalId: 'e', version: 3 },
  { type: 'user.forgotten', tenantId: 't', userId: 'u', externalId: 'e', identifierKeys: [] },
  { type: 'identity.changed', tenantId: 't', identifierKeys: ['phone:+1'], origin: 'i-1' },
  { type: 'tenant.changed', tenantId: 't' },
  { type: 'embedding.changed', revision: 4, origin: 'i-2' },
];

describe('parseBusEvent', () => {
  it.each(VALID)('accepts a $type event unchanged', (event) => {
    expect(parseBusEvent(JSON.stringify(event))).toEqual({ event });
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['null', 'null', 'not an object'],
    ['an array', '[]', 'not an object'],
    ['an unknown type', '{"type":"x","tenantId":"t"}', 'unknown event type'],
    ['an inherited type name', '{"type":"toString","tenantId":"t"}', 'unknown event type'],
    ['no tenant', '{"type":"tenant.changed"}', 'missing tenantId'],
    ['a numeric origin', '{"type":"tenant.changed","tenantId":"t","origin":1}', 'invalid origin'],
    [
      'a version that is not a number',
      '{"type":"memory.changed","tenantId":"t","userId":"u","externalId":"e","version":"3"}',
      'invalid memory.changed event',
    ],
    [
      'an embedding change without a whole revision',
      '{"type":"embedding.changed","revision":1.5}',
      'invalid embedding.changed event',
    ],
    [
      'identifier keys that are not strings',
      '{"type":"identity.changed","tenantId":"t","identifierKeys":[null]}',
      'invalid identity.changed event',
    ],
  ])('rejects %s', (_, message, problem) => {
    expect(parseBusEvent(message)).toEqual({ problem });
  });
});
