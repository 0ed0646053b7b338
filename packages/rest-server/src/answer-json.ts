/** The JSON text of frozen objects, made once per object. */
const frozenText = new WeakMap<object, string>();

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

/**
 * `JSON.stringify(answer)`, reusing the text of the frozen objects in the answer's top-level
 * arrays. A read answers with the views of a hot cache's frozen records, the same objects read
 * after read: serialising them again was the largest cost of a cached read.
 */
export function answerJson(answer: unknown): string {
  if (
    typeof answer !== 'object' ||
    answer === null ||
    Object.getPrototypeOf(answer) !== Object.prototype ||
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
