/** The JSON text of frozen objects, made once per object. */
const frozenText = new WeakMap<object, string>();

/** The UTF-8 body of frozen answers, made once per answer. */
const frozenBody = new WeakMap<object, Uint8Array<ArrayBuffer>>();

function isFrozenObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.isFrozen(value);
}

function textOfFrozen(value: object): string {
  let text = frozenText.get(value);
  if (text === undefined) frozenText.set(value, (text = JSON.stringify(value)));
  return text;
}

function arrayText(items: readonly unknown[]): string {
  return `[${items
    .map((item) => (isFrozenObject(item) ? textOfFrozen(item) : (JSON.stringify(item) ?? 'null')))
    .join(',')}]`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Whether nothing in an answer can change any more: the answer is frozen, and so is each of its
 * top-level arrays and every object in them (the shape of a read's answer).
 */
function isSettled(answer: Record<string, unknown>): boolean {
  if (!Object.isFrozen(answer)) return false;
  for (const field of Object.values(answer)) {
    if (typeof field !== 'object' || field === null) continue;
    if (!Array.isArray(field) || !Object.isFrozen(field)) return false;
    for (const item of field as unknown[]) {
      if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) return false;
    }
  }
  return true;
}

/**
 * `JSON.stringify(answer)`, reusing the text of the frozen objects in the answer's top-level
 * arrays. A read answers with the views of a hot cache's frozen records, the same objects read
 * after read: serialising them again was the largest cost of a cached read.
 */
export function answerJson(answer: unknown): string {
  if (
    !isPlainObject(answer) ||
    !Object.values(answer).some(
      (field) => Array.isArray(field) && field.some((item) => isFrozenObject(item)),
    )
  ) {
    return JSON.stringify(answer);
  }
  const fields: string[] = [];
  for (const [name, field] of Object.entries(answer)) {
    const text = Array.isArray(field) ? arrayText(field) : JSON.stringify(field);
    if (text !== undefined) fields.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}

/**
 * The body of an answer: {@link answerJson}, or for an answer where nothing can change any more
 * (a read's answer, shared by the reads of one second) its UTF-8 bytes, encoded once and written
 * as they are on every later answer.
 */
export function answerBody(answer: unknown): string | Uint8Array<ArrayBuffer> {
  if (!isPlainObject(answer)) return answerJson(answer);
  let body = frozenBody.get(answer);
  if (body !== undefined) return body;
  if (!isSettled(answer)) return answerJson(answer);
  frozenBody.set(answer, (body = Buffer.from(answerJson(answer))));
  return body;
}
