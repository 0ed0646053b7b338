import { embeddingFailed } from './embedding-error.js';

/** Tracks the vector length of a remote model: given up front, or learned from the first answer. */
export interface DimensionGuard {
  /** The known length, or 0 before the first answer when it was not configured. */
  readonly value: number;
  /** Check raw vectors, learning the length from the first one when still unknown. */
  check(vectors: number[][]): void;
}

/** A {@link DimensionGuard} starting from `configured` (undefined: learn it). */
export function createDimensionGuard(
  model: string,
  configured: number | undefined,
): DimensionGuard {
  let value = configured ?? 0;
  return {
    get value() {
      return value;
    },
    check(vectors) {
      const first = vectors[0];
      if (value === 0 && first !== undefined && first.length > 0) value = first.length;
      for (const vector of vectors) {
        if (vector.length !== value) {
          throw embeddingFailed(
            `${model} returned a ${vector.length}-dimensional vector, expected ${value}`,
            undefined,
            { expected: value, received: vector.length },
          );
        }
      }
    },
  };
}

/** True when `value` is an array of finite numbers. */
export function isNumberArray(value: unknown): value is number[] {
  return (
    Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}
