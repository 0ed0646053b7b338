import type { SemanticIndex } from '@memnex/core';
import { describe, expect, it } from 'vitest';
import { describeLifecycle } from '../assertions.js';
import { randomId } from '../fixtures.js';
import { probeCapabilities, usePort, type ConformanceOptions } from '../conformance-options.js';
import { describeLexicalSearch } from './lexical.js';
import { describeModelState, describeModelVectors } from './models.js';
import { describeScans } from './scan.js';
import { describeVectorSearch } from './vector.js';

/** Options of {@link runSemanticIndexConformance}. */
export type SemanticIndexConformanceOptions = ConformanceOptions<SemanticIndex>;

/**
 * Register the SemanticIndex conformance suite for an adapter. Lexical, vector and scan groups
 * run only when the adapter declares the capability. Vector tests use 4-dimensional vectors, and
 * 3-dimensional ones for a second model.
 */
export function runSemanticIndexConformance(options: SemanticIndexConformanceOptions): void {
  describe(`SemanticIndex conformance: ${options.name}`, async () => {
    const capabilities = await probeCapabilities(options);
    const index = usePort(options);

    it('declares its capabilities', () => {
      expect(typeof index().capabilities.lexical).toBe('boolean');
      expect(typeof index().capabilities.vector).toBe('boolean');
      expect(typeof index().capabilities.scan).toBe('boolean');
    });

    describe.skipIf(!capabilities.lexical)('lexical search', () => describeLexicalSearch(index));
    describe.skipIf(!capabilities.vector)('vector search', () => describeVectorSearch(index));
    describe.skipIf(!capabilities.vector)('vectors of several models', () =>
      describeModelVectors(index),
    );
    describe.skipIf(!capabilities.scan)('scans across tenants', () => describeScans(index));
    describe('embedding models record', () => describeModelState(index));
    describeLifecycle(options, (port, tenantId) => port.delete({ tenantId, userId: randomId() }));
  });
}
