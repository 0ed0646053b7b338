import { describe, expect, it } from 'vitest';
import { memoryRecord } from '../testing/records.js';
import { toView } from './views.js';

describe('toView', () => {
  it('makes the view of a frozen record once, frozen, and a fresh one of any other record', () => {
    const frozen = Object.freeze(memoryRecord({ text: 'Prefers email' }));
    const view = toView(frozen);
    expect(toView(frozen)).toBe(view);
    expect(Object.isFrozen(view)).toBe(true);
    expect(view).toMatchObject({ id: frozen.id, text: 'Prefers email' });
    expect(view).not.toHaveProperty('tenantId');

    const open = memoryRecord({ text: 'Prefers calls' });
    const first = toView(open);
    expect(toView(open)).not.toBe(first);
    expect(toView(open)).toEqual(first);
    expect(Object.isFrozen(first)).toBe(false);
  });
});
