import { canonicalJson, sha256Hex } from '@memnex/audit';

/**
 * `sha256:<hex>` of a validated request in RFC 8785 form. Dates become ISO strings first, the
 * same way they travel as JSON, so an in-process call and a wire call hash alike.
 */
export function requestHashOf(request: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(JSON.parse(JSON.stringify(request))))}`;
}
