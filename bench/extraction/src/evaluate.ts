import type { ExpectedFact, Utterance } from './dataset.js';
import { matchFacts } from './matching.js';
import { addCounts, emptyCounts, type Counts } from './metrics.js';

/** A fact an extractor produced for an utterance. */
export interface PredictedFact {
  type: string;
  text: string;
  entities: string[];
}

/** Runs an extractor on one utterance. */
export type ExtractUtterance = (utterance: Utterance) => Promise<PredictedFact[]>;

export const FACT_TYPES = ['profile', 'preference', 'intent', 'issue', 'resolution'] as const;

/** Counts of one split: per fact type, all types, entities, and utterances with no facts. */
export interface SplitReport {
  utterances: number;
  byType: Record<(typeof FACT_TYPES)[number], Counts>;
  allTypes: Counts;
  entities: Counts;
  /** Utterances labelled with no fact, and how many of them the extractor left empty. */
  negatives: { total: number; empty: number };
  /** Every miss and false alarm, for reading. */
  errors: Array<{ id: string; kind: 'missed' | 'extra'; type: string; text: string }>;
}

/** Evaluate `extract` on `utterances`. */
export async function evaluate(
  utterances: readonly Utterance[],
  extract: ExtractUtterance,
): Promise<SplitReport> {
  const report: SplitReport = {
    utterances: utterances.length,
    byType: Object.fromEntries(
      FACT_TYPES.map((type) => [type, emptyCounts()]),
    ) as SplitReport['byType'],
    allTypes: emptyCounts(),
    entities: emptyCounts(),
    negatives: { total: 0, empty: 0 },
    errors: [],
  };
  for (const utterance of utterances) {
    const predicted = await extract(utterance);
    const pairs = matchFacts(predicted, utterance.expected);
    const matchedP = new Set(pairs.map(([p]) => p));
    const matchedE = new Set(pairs.map(([, e]) => e));
    for (const type of FACT_TYPES) {
      const ofType = (fact: { type: string }) => fact.type === type;
      addCounts(report.byType[type], {
        matched: pairs.filter(([p]) => predicted[p]!.type === type).length,
        predicted: predicted.filter(ofType).length,
        expected: utterance.expected.filter(ofType).length,
      });
    }
    addCounts(report.allTypes, {
      matched: pairs.length,
      predicted: predicted.length,
      expected: utterance.expected.length,
    });
    addCounts(report.entities, entityCounts(predicted, utterance.expected));
    if (utterance.expected.length === 0) {
      report.negatives.total += 1;
      if (predicted.length === 0) report.negatives.empty += 1;
    }
    predicted.forEach((fact, index) => {
      if (!matchedP.has(index))
        report.errors.push({ id: utterance.id, kind: 'extra', type: fact.type, text: fact.text });
    });
    utterance.expected.forEach((fact, index) => {
      if (!matchedE.has(index))
        report.errors.push({ id: utterance.id, kind: 'missed', type: fact.type, text: fact.text });
    });
  }
  return report;
}

function entityCounts(
  predicted: readonly PredictedFact[],
  expected: readonly ExpectedFact[],
): Counts {
  const lower = (entity: string) => entity.toLowerCase();
  const got = new Set(predicted.flatMap((fact) => fact.entities.map(lower)));
  const wanted = new Set(expected.flatMap((fact) => fact.entities.map(lower)));
  let matched = 0;
  for (const entity of got) if (wanted.has(entity)) matched += 1;
  return { matched, predicted: got.size, expected: wanted.size };
}
