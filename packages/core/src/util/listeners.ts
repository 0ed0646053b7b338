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
  /** Each subscriber gets `copy(value)`, so none can change what another sees. */
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
    for (const listener of targets) {
      if (!members.has(listener)) continue;
      try {
        // Subscribers are typed as synchronous, but an async one must not leak a rejection.
        const result: unknown = listener(copy ? copy(value) : value);
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
