import { describe, expect, it } from 'vitest';
import { createListeners } from './listeners.js';

describe('createListeners', () => {
  it('delivers to every subscriber despite one that throws or rejects, and reports both', async () => {
    const listeners = createListeners<{ n: number }>();
    const errors: unknown[] = [];
    const seen: number[] = [];
    listeners.add(() => {
      throw new Error('sync');
    });
    listeners.add((async () => {
      throw new Error('async');
    }) as unknown as (value: { n: number }) => void);
    listeners.add((value) => {
      value.n += 1;
      seen.push(value.n);
    });
    listeners.add((value) => seen.push(value.n));
    listeners.emit(
      { n: 1 },
      { onError: (error) => errors.push(error), copy: (value) => ({ ...value }) },
    );
    await Promise.resolve();
    expect(seen).toEqual([2, 1]);
    expect(errors.map((error) => (error as Error).message)).toEqual(['sync', 'async']);
  });

  it('copies the value for every subscriber but the last, which gets the value itself', () => {
    const listeners = createListeners<{ n: number }>();
    const received: Array<{ n: number }> = [];
    for (let index = 0; index < 3; index += 1) listeners.add((value) => received.push(value));
    let copies = 0;
    const value = { n: 1 };
    listeners.emit(value, {
      onError: () => undefined,
      copy: (original) => {
        copies += 1;
        return { ...original };
      },
    });
    expect(copies).toBe(2);
    expect(received[0]).not.toBe(value);
    expect(received[1]).not.toBe(value);
    expect(received[0]).not.toBe(received[1]);
    expect(received[2]).toBe(value);
  });

  it('counts a function subscribed twice twice, and stops each on its own', () => {
    const listeners = createListeners<number>();
    const seen: number[] = [];
    const handler = (value: number) => seen.push(value);
    const stopFirst = listeners.add(handler);
    listeners.add(handler);
    listeners.emit(1, { onError: () => undefined });
    stopFirst();
    listeners.emit(2, { onError: () => undefined });
    listeners.clear();
    listeners.emit(3, { onError: () => undefined });
    expect(seen).toEqual([1, 1, 2]);
  });

  it('delivers a snapshot to those subscribed at the time who are still subscribed', () => {
    const listeners = createListeners<number>();
    const seen: string[] = [];
    const stopEarly = listeners.add(() => seen.push('early'));
    listeners.add(() => seen.push('stays'));
    const deliver = listeners.snapshot();
    listeners.add(() => seen.push('late'));
    stopEarly();
    deliver(1, { onError: () => undefined });
    expect(seen).toEqual(['stays']);
  });
});
