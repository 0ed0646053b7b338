import { describe, expect, it } from 'vitest';
import { ATTACK_CORPUS } from './attacks.js';
import { BENIGN_CORPUS } from './benign.js';
import { evaluateCorpus, formatCorpusReport } from './evaluate.js';

describe('screening corpus', () => {
  it('is large and varied enough to mean something', () => {
    expect(BENIGN_CORPUS.length).toBeGreaterThanOrEqual(320);
    expect(ATTACK_CORPUS.length).toBeGreaterThanOrEqual(90);
    expect(new Set(ATTACK_CORPUS.map((sample) => sample.category)).size).toBe(7);
    expect(new Set(BENIGN_CORPUS.map((sample) => sample.text)).size).toBe(BENIGN_CORPUS.length);
    expect(new Set(ATTACK_CORPUS.map((sample) => sample.text)).size).toBe(ATTACK_CORPUS.length);
  });

  // Screens the whole corpus: allow for a loaded CI machine.
  it(
    'passes at least 99% of benign texts and blocks at least 95% of attacks',
    { timeout: 60_000 },
    () => {
      const report = evaluateCorpus();
      console.log(formatCorpusReport(report));
      expect(report.benignPassRate).toBeGreaterThanOrEqual(0.99);
      expect(report.recall).toBeGreaterThanOrEqual(0.95);
      for (const category of report.categories) {
        expect(category.blocked / category.total, category.category).toBeGreaterThanOrEqual(0.9);
      }
    },
  );
});
