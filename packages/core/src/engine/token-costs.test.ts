import { describe, expect, it } from 'vitest';
import { FORMATTERS, countTokens } from '../formats/index.js';
import { memoryRecord } from '../testing/records.js';
import { contextCounter, lineCost } from './token-costs.js';

describe('token costs', () => {
  it('counts each format’s line exactly, for frozen records and fresh copies alike', () => {
    const record = Object.freeze(memoryRecord({ text: 'Order #4521 arrived damaged 🙂' }));
    for (const formatter of Object.values(FORMATTERS)) {
      const exact = countTokens(formatter.line(record));
      expect(lineCost(formatter, record)).toBe(exact);
      expect(lineCost(formatter, record)).toBe(exact);
      expect(lineCost(formatter, structuredClone(record))).toBe(exact);
    }
  });

  it('never reuses the count of a record that has changed since', () => {
    const formatter = FORMATTERS.whatsapp;
    const before = memoryRecord({ text: 'Lives in Leeds' });
    lineCost(formatter, before);
    const after = {
      ...before,
      text: 'Lives in a small village near Leeds, close to the river',
      updatedAt: new Date(Date.parse(before.updatedAt) + 1000).toISOString(),
    };
    expect(lineCost(formatter, after)).toBe(countTokens(formatter.line(after)));
    expect(lineCost(formatter, after)).not.toBe(lineCost(formatter, before));
  });

  it('counts contexts exactly, remembering them per working set', () => {
    const workingSet = {};
    const texts = Array.from({ length: 40 }, (_, index) => `context ${index} `.repeat(index + 1));
    for (const count of [contextCounter(workingSet), contextCounter(null)]) {
      for (const text of [...texts, ...texts]) expect(count(text)).toBe(countTokens(text));
    }
  });
});
