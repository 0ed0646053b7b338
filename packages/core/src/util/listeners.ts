/** A set of subscribers that one failing subscriber cannot disturb. */
export interface Listeners<T> {
  /**
   * Subscribe; returns a function that unsubscribes. Subscribing the same function twice gives
   * two subscriptions.
   */
  add(listener: (value: T) => void): () => void;
  /** Call every current subscriber (see {@link Listeners.snapshot}). */
  emit(value: T, options: EmitOptions<T>): void;
  /**
   * Fix the subscribers of this moment: the returned function calls those of them still
   * subscribed when it runs, so a delivery deferred to later reaches no one who joined since.
   */
  snapshot(): (value: T, options: EmitOptions<T>) => void;
  /** Unsubscribe everyone. */
  clear(): void;
}

/** How {@link Listeners.emit} delivers. */
export interface EmitOptions<T> {
  /** Receives what a subscriber threw or its returned promise rejected with. */
  onError(error: unknown): void;
  /**
   * Each subscriber but the last gets `copy(value)`, so none can change what another sees; the
   * last gets `value` itself, which the caller must not use after emitting.
   */
  copy?: (value: T) => T;
}

/** Create an empty {@link Listeners}. */
export function createListeners<T>(): Listeners<T> {
  const members = new Set<(value: T) => void>();
  const deliver = (
    targets: ReadonlyArray<(value: T) => void>,
    value: T,
    { onError, copy }: EmitOptions<T>,
  ) => {
    const last = targets.length - 1;
    for (const [index, listener] of targets.entries()) {
      if (!members.has(listener)) continue;
      try {
        // The last subscriber gets the value itself: no one after it could see what it changes.
        const given = copy && index < last ? copy(value) : value;
        // Subscribers are typed as synchronous, but an async one must not leak a rejection.
        const result: unknown = listener(given);
        if (result instanceof Promise) result.catch(onError);
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    add(listener) {
      const member = (value: T) => listener(value);
      members.add(member);
      return () => {
        members.delete(member);
      };
    },
    emit: (value, options) => deliver([...members], value, options),
    snapshot() {
      const targets = [...members];
      return (value, options) => deliver(targets, value, options);
    },
    clear: () => members.clear(),
  };
}
