/**
 * `pnpm bench:extraction`: precision, recall and F1 of the rule extractor per fact type and for
 * entities, on the labelled utterances of `bench/extraction/data` (voice transcripts, WhatsApp
 * exports, web chat, SMS, email, app), on the dev split it was tuned on and the held-out test
 * split. `--errors dev|test` also lists every missed and extra fact of that split.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRuleExtractor, rawTextMessages } from '@memnex/core';
import { loadDataset, type Utterance } from './dataset.js';
import { evaluate, FACT_TYPES, type SplitReport } from './evaluate.js';
import { MATCHING_DEFINITION } from './matching.js';
import { scores, type Counts } from './metrics.js';

const { values } = parseArgs({ options: { errors: { type: 'string' } } });
const out = (line = '') => process.stdout.write(`${line}\n`);

const dataDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const utterances = await loadDataset(dataDirectory);
const extractor = createRuleExtractor();

async function extract(utterance: Utterance) {
  const messages = rawTextMessages(utterance.rawText, {
    channel: utterance.channel,
    now: new Date(utterance.observedAt),
  });
  return extractor.extract({ messages, channel: utterance.channel });
}

const percent = (value: number) => (Number.isNaN(value) ? '   – ' : value.toFixed(2).padStart(5));

function row(name: string, counts: Counts): string {
  const { precision, recall, f1 } = scores(counts);
  const tally = `${counts.matched}/${counts.predicted}/${counts.expected}`;
  return `| ${name.padEnd(10)} | ${percent(precision)} | ${percent(recall)} | ${percent(f1)} | ${tally.padStart(11)} |`;
}

function table(split: string, report: SplitReport): void {
  out(`### ${split}: ${report.utterances} utterances`);
  out();
  out('| row        |     P |     R |    F1 | hit/got/exp |');
  out('| ---------- | ----: | ----: | ----: | ----------: |');
  for (const type of FACT_TYPES) out(row(type, report.byType[type]));
  out(row('all types', report.allTypes));
  out(row('entities', report.entities));
  out();
  out(
    `Utterances with nothing to remember left empty: ${report.negatives.empty} of ${report.negatives.total}.`,
  );
  out();
}

const counts = (split: 'dev' | 'test') =>
  utterances.filter((utterance) => utterance.split === split);
out(
  `bench:extraction: rule extractor, ${utterances.length} labelled utterances ` +
    `(${counts('dev').length} dev, ${counts('test').length} held-out test), node ${process.version}`,
);
out();
out('Matching:');
out(MATCHING_DEFINITION);
out();
for (const split of ['dev', 'test'] as const) {
  const report = await evaluate(counts(split), extract);
  table(split, report);
  if (values.errors === split) {
    for (const error of report.errors)
      out(`${error.id} ${error.kind} ${error.type}: ${error.text}`);
    out();
  }
}
