import { describe, expect, it } from 'vitest';
import { createRestartBudget } from './restart-budget.js';

describe('createRestartBudget', () => {
  it('allows `limit` restarts within the window, then none until the oldest leaves it', () => {
    let time = 0;
    const budget = createRestartBudget(2, 60_000, () => time);
    expect(budget.take()).toBe(true);
    time = 30_000;
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    time = 59_999;
    expect(budget.take()).toBe(false);
    time = 60_000;
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
  });
});
