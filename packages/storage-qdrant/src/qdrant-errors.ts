/**
 * The HTTP status of a failed client call, or undefined when no response arrived (connection
 * refused, timeout). The client throws its fetcher's `ApiError`, which is not exported, so this
 * reads the field instead of checking the class.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

/** A one-line reason for logs and messages: Qdrant's own error text when it sent one. */
export function describeQdrantError(error: unknown): string {
  const status = httpStatusOf(error);
  const serverText = field(field(field(error, 'data'), 'status'), 'error');
  const text =
    typeof serverText === 'string'
      ? serverText
      : error instanceof Error
        ? causeChain(error)
        : String(error);
  return status === undefined ? text : `HTTP ${status}: ${text}`;
}

/** `value[key]` when `value` is an object, else undefined. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:6333` rather than just `fetch failed`. */
function causeChain(error: Error): string {
  const parts = [error.message];
  let cause: unknown = error.cause;
  while (cause instanceof Error && parts.length < 4) {
    parts.push(cause.message);
    cause = cause.cause;
  }
  return parts.join(': ');
}
