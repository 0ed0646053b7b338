/** How many restarts are left in a sliding window, so that a crash loop is not run forever. */
export interface RestartBudget {
  /** Take one restart; false once `limit` were taken within the window. */
  take(): boolean;
}

/** At most `limit` restarts within any `windowMs`. */
export function createRestartBudget(
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
): RestartBudget {
  const taken: number[] = [];
  return {
    take() {
      const time = now();
      while (taken.length > 0 && taken[0]! <= time - windowMs) taken.shift();
      if (taken.length >= limit) return false;
      taken.push(time);
      return true;
    },
  };
}
