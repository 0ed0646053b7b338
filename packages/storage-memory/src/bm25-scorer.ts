/** Options of {@link createBm25Scorer}. */
export interface Bm25Options {
  /** Term-frequency saturation: how much repeating a term keeps adding to the score. */
  k1?: number;
  /** Length normalisation, from 0 (document length ignored) to 1 (fully normalised). */
  b?: number;
}

/**
 * Default BM25 parameters. Memories are short and uneven in length (a one-word reply next to a
 * paragraph), so saturation comes sooner and length matters less than Lucene's 1.2 / 0.75; measured
 * on LoCoMo (docs/benchmarks.md).
 */
export const BM25_DEFAULTS = { k1: 0.9, b: 0.5 } as const;

/** A BM25 index over a set of documents given as analysed terms. */
export interface Bm25Scorer {
  /**
   * Index a document, replacing any earlier version with the same id. `context` terms (e.g. the
   * message a reply answers) count with a fractional weight towards frequencies and length.
   */
  add(
    documentId: string,
    terms: readonly string[],
    context?: { terms: readonly string[]; weight: number },
  ): void;
  /** Remove a document; returns whether it was indexed. */
  remove(documentId: string): boolean;
  /**
   * The BM25 score of every document that contains at least one query term. Repeated query
   * terms count once. Corpus statistics cover every indexed document.
   */
  score(queryTerms: readonly string[]): Map<string, number>;
  /** Number of indexed documents. */
  readonly size: number;
}

/**
 * Okapi BM25 with the non-negative IDF of Lucene, `ln(1 + (N - n + 0.5) / (n + 0.5))`, and
 * postings kept per term so that a query touches only the documents that contain its terms.
 */
export function createBm25Scorer(options: Bm25Options = {}): Bm25Scorer {
  const k1 = options.k1 ?? BM25_DEFAULTS.k1;
  const b = options.b ?? BM25_DEFAULTS.b;
  /** Term -> document id -> frequency of the term in the document. */
  const postings = new Map<string, Map<string, number>>();
  /** Document id -> its term frequencies and length. */
  const documents = new Map<string, { frequencies: Map<string, number>; length: number }>();
  let totalLength = 0;

  function remove(documentId: string): boolean {
    const document = documents.get(documentId);
    if (!document) return false;
    for (const term of document.frequencies.keys()) {
      const posting = postings.get(term);
      posting?.delete(documentId);
      if (posting?.size === 0) postings.delete(term);
    }
    totalLength -= document.length;
    documents.delete(documentId);
    return true;
  }

  return {
    add(documentId, terms, context) {
      remove(documentId);
      const frequencies = new Map<string, number>();
      for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      let length = terms.length;
      if (context && context.weight > 0) {
        for (const term of context.terms)
          frequencies.set(term, (frequencies.get(term) ?? 0) + context.weight);
        length += context.terms.length * context.weight;
      }
      for (const [term, frequency] of frequencies) {
        let posting = postings.get(term);
        if (!posting) {
          posting = new Map();
          postings.set(term, posting);
        }
        posting.set(documentId, frequency);
      }
      documents.set(documentId, { frequencies, length });
      totalLength += length;
    },

    remove,

    score(queryTerms) {
      const scores = new Map<string, number>();
      const count = documents.size;
      if (count === 0) return scores;
      const averageLength = totalLength / count;
      for (const term of new Set(queryTerms)) {
        const posting = postings.get(term);
        if (!posting) continue;
        const idf = Math.log(1 + (count - posting.size + 0.5) / (posting.size + 0.5));
        for (const [documentId, frequency] of posting) {
          const length = documents.get(documentId)?.length ?? 0;
          const norm = k1 * (1 - b + (b * length) / averageLength);
          const termScore = (idf * frequency * (k1 + 1)) / (frequency + norm);
          scores.set(documentId, (scores.get(documentId) ?? 0) + termScore);
        }
      }
      return scores;
    },

    get size() {
      return documents.size;
    },
  };
}
