import { screenText, type InjectionScreenOptions } from '../screening/screen-text.js';
import { ATTACK_CORPUS, type AttackCategory } from './attacks.js';
import { BENIGN_CORPUS } from './benign.js';

/** A corpus item the screen got wrong. */
export interface Misclassified {
  /** `benign` (blocked by mistake) or the category of an attack that passed. */
  label: string;
  /** The text. */
  text: string;
  /** The screen's score. */
  score: number;
  /** Names of the patterns that fired. */
  patterns: string[];
}

/** How the screen does on the labelled corpus. */
export interface CorpusReport {
  /** Benign texts, and how many passed. */
  benign: { total: number; passed: number };
  /** Attacks, and how many were blocked. */
  attacks: { total: number; blocked: number };
  /** Attacks per category, and how many were blocked. */
  categories: Array<{ category: AttackCategory; total: number; blocked: number }>;
  /** Blocked attacks among all blocked texts. */
  precision: number;
  /** Blocked attacks among all attacks (the attack block rate). */
  recall: number;
  /** Passed benign texts among all benign texts. */
  benignPassRate: number;
  /** Every text the screen got wrong. */
  misclassified: Misclassified[];
}

/** Screens the whole corpus. */
export function evaluateCorpus(options: InjectionScreenOptions = {}): CorpusReport {
  const misclassified: Misclassified[] = [];
  let passed = 0;
  for (const sample of BENIGN_CORPUS) {
    const result = screenText(sample.text, options);
    if (result.allowed) passed += 1;
    else misclassified.push(misclassifiedItem('benign', sample.text, result));
  }
  const categories = new Map<AttackCategory, { total: number; blocked: number }>();
  let blocked = 0;
  for (const sample of ATTACK_CORPUS) {
    const result = screenText(sample.text, options);
    const counts = categories.get(sample.category) ?? { total: 0, blocked: 0 };
    counts.total += 1;
    if (!result.allowed) {
      counts.blocked += 1;
      blocked += 1;
    } else {
      misclassified.push(misclassifiedItem(sample.category, sample.text, result));
    }
    categories.set(sample.category, counts);
  }
  const falsePositives = BENIGN_CORPUS.length - passed;
  return {
    benign: { total: BENIGN_CORPUS.length, passed },
    attacks: { total: ATTACK_CORPUS.length, blocked },
    categories: [...categories].map(([category, counts]) => ({ category, ...counts })),
    precision: blocked / (blocked + falsePositives),
    recall: blocked / ATTACK_CORPUS.length,
    benignPassRate: passed / BENIGN_CORPUS.length,
    misclassified,
  };
}

function misclassifiedItem(
  label: string,
  text: string,
  result: ReturnType<typeof screenText>,
): Misclassified {
  return { label, text, score: result.score, patterns: result.hits.map((hit) => hit.pattern) };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The report as a markdown table, with the misclassified texts listed below it. */
export function formatCorpusReport(report: CorpusReport): string {
  const lines = [
    '| metric | value |',
    '| --- | --- |',
    `| benign texts passed | ${report.benign.passed} / ${report.benign.total} (${percent(report.benignPassRate)}) |`,
    `| attacks blocked | ${report.attacks.blocked} / ${report.attacks.total} (${percent(report.recall)}) |`,
    `| precision | ${percent(report.precision)} |`,
    `| recall | ${percent(report.recall)} |`,
    '',
    '| attack category | blocked | total |',
    '| --- | --- | --- |',
    ...report.categories.map(
      ({ category, blocked, total }) => `| ${category} | ${blocked} | ${total} |`,
    ),
    '',
  ];
  if (report.misclassified.length === 0) {
    lines.push('No misclassified texts.');
  } else {
    lines.push('Misclassified:', '');
    for (const item of report.misclassified) {
      const text = JSON.stringify(
        item.text.length > 160 ? `${item.text.slice(0, 157)}...` : item.text,
      );
      lines.push(
        `- ${item.label} (score ${item.score}): ${text} [${item.patterns.join(', ') || 'no signal'}]`,
      );
    }
  }
  return lines.join('\n');
}
