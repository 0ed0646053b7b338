export { createQdrantSemanticIndex } from './qdrant-semantic-index.js';
export type { QdrantSemanticIndexOptions } from './qdrant-semantic-index.js';
