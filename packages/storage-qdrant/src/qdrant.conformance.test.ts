import { randomBytes } from 'node:crypto';
import { runSemanticIndexConformance } from '@memnex/storage-conformance';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, describe, it } from 'vitest';
import { isPrefixCollection } from './collection-naming.js';
import { createQdrantSemanticIndex } from './qdrant-semantic-index.js';
import { startFakeQdrant } from './testing/fake-qdrant-server.js';

// The suite reads capabilities while tests are collected, so the fake must listen before that.
const fake = await startFakeQdrant();
afterAll(() => fake.close());

runSemanticIndexConformance({
  name: 'qdrant (in-process fake at the HTTP boundary)',
  create: () => createQdrantSemanticIndex({ url: fake.url }),
});

const serverUrl = process.env.MEMNEX_TEST_QDRANT_URL;

if (serverUrl) {
  // A prefix of its own per run, so parallel runs and real data never meet; dropped at the end.
  const prefix = `memnex-test-${randomBytes(4).toString('hex')}`;
  const apiKey = process.env.MEMNEX_TEST_QDRANT_API_KEY;
  runSemanticIndexConformance({
    name: `qdrant server at ${serverUrl}`,
    create: () => createQdrantSemanticIndex({ url: serverUrl, apiKey, collectionPrefix: prefix }),
  });
  afterAll(async () => {
    const client = new QdrantClient({
      url: serverUrl,
      headers: apiKey ? { 'api-key': apiKey } : {},
      checkCompatibility: false,
    });
    const { collections } = await client.getCollections();
    for (const { name } of collections) {
      if (isPrefixCollection(prefix, name)) await client.deleteCollection(name);
    }
  });
} else {
  describe('SemanticIndex conformance: qdrant server', () => {
    it.skip('skipped: set MEMNEX_TEST_QDRANT_URL (and MEMNEX_TEST_QDRANT_API_KEY if needed) to run the suite against a real Qdrant', () => {});
  });
}
