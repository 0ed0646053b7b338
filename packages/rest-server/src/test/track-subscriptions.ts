import type { Memnex, StateSubscription } from '@memnex/core';
import { vi } from 'vitest';

/** Counts of the engine subscriptions a server opens and closes. */
export interface SubscriptionCounts {
  opened: number;
  closed: number;
  /** Subscriptions opened and not closed yet. */
  open(): number;
}

/** Count the engine subscriptions opened through `memnex.state.subscribe` and closed since. */
export function trackSubscriptions(memnex: Memnex): SubscriptionCounts {
  const subscribe = memnex.state.subscribe.bind(memnex.state);
  const counts = { opened: 0, closed: 0, open: () => counts.opened - counts.closed };
  vi.spyOn(memnex.state, 'subscribe').mockImplementation(async (call, listener) => {
    const subscription = await subscribe(call, listener);
    counts.opened += 1;
    let closed = false;
    const tracked: StateSubscription = {
      ready: subscription.ready,
      close() {
        if (!closed) counts.closed += 1;
        closed = true;
        subscription.close();
      },
    };
    return tracked;
  });
  return counts;
}
