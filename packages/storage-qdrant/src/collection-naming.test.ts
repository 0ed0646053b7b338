import { MemnexError } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { assertCollectionPrefix, collectionName, isPrefixCollection } from './collection-naming.js';

describe('collection naming', () => {
  it('names one collection per model: prefix, safe model id, short hash of the exact id', () => {
    // Pinned: renaming collections would strand every vector already stored.
    expect(collectionName('memnex', 'local:use-lite-512')).toBe('memnex_local_use_lite_512_a72c83');
    expect(collectionName('memnex', 'a:b')).not.toBe(collectionName('memnex', 'a-b'));
    expect(collectionName('acme-eu', 'models/Text Embedding 004')).toMatch(
      /^acme-eu_models_text_embedding_004_[0-9a-f]{6}$/,
    );
    expect(collectionName('memnex', '::')).toMatch(/^memnex_model_[0-9a-f]{6}$/);
    expect(collectionName('memnex', 'x'.repeat(1000))).toMatch(/^memnex_x{64}_[0-9a-f]{6}$/);
  });

  it('tells the collections of a prefix from those of any other prefix', () => {
    const mine = collectionName('memnex', 'local:use-lite-512');
    expect(isPrefixCollection('memnex', mine)).toBe(true);
    expect(isPrefixCollection('memnex', collectionName('memnex-eu', 'local:use-lite-512'))).toBe(
      false,
    );
    expect(isPrefixCollection('memnex-eu', mine)).toBe(false);
    expect(isPrefixCollection('memnex', 'memnex_notes')).toBe(false);
  });

  it('refuses a prefix with underscores, other characters, or no characters', () => {
    expect(() => assertCollectionPrefix('memnex-eu-2')).not.toThrow();
    for (const prefix of ['memnex_prod', '', 'a/b', 'café', 'x'.repeat(49)]) {
      let caught: unknown;
      try {
        assertCollectionPrefix(prefix);
      } catch (error) {
        caught = error;
      }
      expect(MemnexError.isInstance(caught) && caught.code).toBe('VALIDATION_FAILED');
    }
  });
});
