import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerBody, answerJson } from './answer-json.js';

describe('answerJson', () => {
  it('writes what JSON.stringify writes, frozen items or not', () => {
    const item = Object.freeze({ id: 'm1', text: 'Prefers "email"', entities: Object.freeze([]) });
    const answers: unknown[] = [
      { context: 'x', items: [item, item], tokens: 3, omitted: undefined, version: 2 },
      { items: [item, { id: 'm2' }, undefined, null, 1, 'two'], empty: [] },
      { nested: { items: [item] }, list: [item] },
      [item, item],
      { plain: [1, 2] },
      'text',
      null,
      Object.freeze({ items: [item] }),
    ];
    for (const answer of answers) expect(answerJson(answer)).toBe(JSON.stringify(answer));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.jsonValue()),
        (answer, list) => {
          const frozen = list.map((value) =>
            typeof value === 'object' && value !== null ? Object.freeze(value) : value,
          );
          const withItems = { ...answer, items: frozen };
          expect(answerJson(withItems)).toBe(JSON.stringify(withItems));
        },
      ),
    );
  });

  it('serialises a frozen item once', () => {
    let serialised = 0;
    const item = Object.freeze({
      toJSON() {
        serialised += 1;
        return { id: 'm1' };
      },
    });
    expect(answerJson({ items: [item] })).toBe('{"items":[{"id":"m1"}]}');
    expect(answerJson({ items: [item], version: 3 })).toBe('{"items":[{"id":"m1"}],"version":3}');
    expect(serialised).toBe(1);
  });

  it('encodes an answer where nothing can change once, and any other answer every time', () => {
    const item = Object.freeze({ id: 'm1', text: 'Prefers "email" — after 6pm' });
    const settled = Object.freeze({ context: 'ctx', items: Object.freeze([item]), tokens: 3 });
    const body = answerBody(settled);
    expect(body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(body).toString('utf8')).toBe(JSON.stringify(settled));
    expect(answerBody(settled)).toBe(body);

    const open = { id: 'm2', text: 'Lives in Leeds' };
    const unsettled = [
      { context: 'ctx', items: Object.freeze([item]) },
      Object.freeze({ context: 'ctx', items: [item] }),
      Object.freeze({ context: 'ctx', items: Object.freeze([item, open]) }),
      Object.freeze({ context: 'ctx', nested: Object.freeze({ items: Object.freeze([item]) }) }),
    ];
    for (const answer of unsettled) {
      expect(answerBody(answer)).toBe(JSON.stringify(answer));
    }
    open.text = 'Lives in York';
    expect(answerBody(unsettled[2])).toBe(JSON.stringify(unsettled[2]));
  });
});
