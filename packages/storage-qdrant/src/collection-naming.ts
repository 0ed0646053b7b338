import { createHash } from 'node:crypto';
import { MemnexError } from '@memnex/core';

/** The collection prefix used when none is given. */
export const DEFAULT_COLLECTION_PREFIX = 'memnex';

/**
 * Letters, digits and hyphens only. Collection names join prefix, model and hash with `_`, so a
 * prefix without `_` can never be the start of another prefix's names (`memnex` and `memnex_eu`
 * would both own `memnex_...`).
 */
const PREFIX_PATTERN = /^[A-Za-z0-9-]{1,48}$/;
const MAX_MODEL_SLUG = 64;
const HASH_LENGTH = 6;

/** Throw `VALIDATION_FAILED` unless `prefix` can name collections unambiguously. */
export function assertCollectionPrefix(prefix: string): void {
  if (PREFIX_PATTERN.test(prefix)) return;
  throw MemnexError.validation([
    {
      path: 'collectionPrefix',
      message: 'use 1-48 letters, digits or hyphens (no underscores: they separate name parts)',
      code: 'invalid_string',
    },
  ]);
}

/**
 * The collection that holds the vectors of one embedding model: the prefix, the model id made
 * safe (lower case, `[a-z0-9_]`) and a short hash of the exact model id, because different ids
 * can share a slug (`a:b` and `a-b`). `local:use-lite-512` -> `memnex_local_use_lite_512_<hash>`.
 */
export function collectionName(prefix: string, model: string): string {
  const slug =
    model
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, MAX_MODEL_SLUG)
      .replace(/_+$/, '') || 'model';
  const hash = createHash('sha256').update(model).digest('hex').slice(0, HASH_LENGTH);
  return `${prefix}_${slug}_${hash}`;
}

/** True when `name` is a collection this prefix created, as {@link collectionName} spells it. */
export function isPrefixCollection(prefix: string, name: string): boolean {
  return (
    name.startsWith(`${prefix}_`) &&
    new RegExp(`_[0-9a-f]{${HASH_LENGTH}}$`).test(name) &&
    name.length > prefix.length + HASH_LENGTH + 2
  );
}
