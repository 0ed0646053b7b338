import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { countTokens, createMemnex, type Embedder } from '@memnex/core';
import { createHashEmbedder, createLocalEmbedder } from '@memnex/embeddings';
import { createMemoryStores } from '@memnex/storage-memory';
import { groupBySession, loadConversations, turnText } from './dataset.js';
import { meanScores, percentile, scoreQuestion, type QuestionScore } from './metrics.js';

const CATEGORY_NAMES: Record<number, string> = {
  1: 'multi-hop',
  2: 'temporal',
  3: 'open-domain',
  4: 'single-hop',
  5: 'adversarial',
};
const RETRIEVED = 50;

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    json: { type: 'string' },
    embedder: { type: 'string', default: 'local' },
    conversations: { type: 'string' },
    fusion: { type: 'string' },
    candidates: { type: 'string' },
    'vector-weight': { type: 'string' },
  },
});
if (!values.data) {
  process.stderr.write(
    'usage: pnpm bench:locomo --data <locomo.json> [--json out.json] [--embedder local|hash|none]\n',
  );
  process.exit(2);
}

function pickEmbedder(name: string): Embedder | null {
  if (name === 'local') return createLocalEmbedder();
  if (name === 'hash') return createHashEmbedder({ dimensions: 512 });
  if (name === 'none') return null;
  throw new Error(`unknown embedder ${name}`);
}

const conversations = (await loadConversations(resolve(values.data))).slice(
  0,
  values.conversations ? Number(values.conversations) : undefined,
);
const embedder = pickEmbedder(values.embedder ?? 'local');
const tuning = {
  ...(values.fusion ? { fusion: values.fusion as 'zscore' | 'rrf' } : {}),
  ...(values.candidates ? { candidates: Number(values.candidates) } : {}),
  ...(values['vector-weight'] ? { vectorWeight: Number(values['vector-weight']) } : {}),
};
const memnex = createMemnex({ stores: createMemoryStores(), embedder, search: tuning });
await memnex.init();
const { id: tenantId } = await memnex.tenants.create({ name: 'locomo' });

let turns = 0;
/** Turns the injection screen refused: each one is evidence the benchmark can no longer find. */
let screenedOut = 0;
const ingestStart = performance.now();
for (const conversation of conversations) {
  for (const session of groupBySession(conversation.turns)) {
    for (let start = 0; start < session.turns.length; start += 200) {
      const batch = session.turns.slice(start, start + 200);
      const result = await memnex.write({
        tenantId,
        user: conversation.sampleId,
        sessionId: `${conversation.sampleId}:${session.id}`,
        messages: batch.map((turn) => ({
          id: turn.diaId,
          text: turnText(turn),
          observedAt: turn.observedAt,
        })),
      });
      turns += batch.length;
      screenedOut += result.rejected.length;
    }
  }
}
const ingestSeconds = (performance.now() - ingestStart) / 1000;

const byCategory = new Map<number, QuestionScore[]>();
const latencies: number[] = [];
for (const conversation of conversations) {
  for (const question of conversation.questions) {
    const started = performance.now();
    const { hits } = await memnex.search({
      tenantId,
      user: conversation.sampleId,
      query: question.question,
      limit: RETRIEVED,
    });
    latencies.push(performance.now() - started);
    const ranked = hits.map((hit) => hit.source.messageIds[0] ?? hit.id);
    const score = scoreQuestion(
      ranked,
      question.evidence,
      hits.map((hit) => countTokens(hit.text)),
    );
    byCategory.set(question.category, [...(byCategory.get(question.category) ?? []), score]);
  }
}
await memnex.close();

const rows = [1, 2, 3, 4].map((category) => ({
  label: `${category} ${CATEGORY_NAMES[category]}`,
  ...meanScores(byCategory.get(category) ?? []),
}));
const overall = {
  label: 'overall (1-4)',
  ...meanScores([1, 2, 3, 4].flatMap((category) => byCategory.get(category) ?? [])),
};
const adversarial = { label: '5 adversarial', ...meanScores(byCategory.get(5) ?? []) };
const fixed = (value: number) => value.toFixed(3);

const lines = [
  `LoCoMo retrieval — ${conversations.length} conversations, ${turns} turns, embedder ${embedder?.model ?? 'none'}`,
  '',
  '| category | n | recall@5 | recall@10 | hit@5 | MRR | NDCG@10 | recall@1024 tok |',
  '|---|---|---|---|---|---|---|---|',
  ...[...rows, overall, adversarial].map(
    (row) =>
      `| ${row.label} | ${row.count} | ${fixed(row.recallAt5)} | ${fixed(row.recallAt10)} | ${fixed(row.hitAt5)} | ${fixed(row.reciprocalRank)} | ${fixed(row.ndcgAt10)} | ${fixed(row.recallAt1024Tokens)} |`,
  ),
  '',
  `ingest: ${(turns / ingestSeconds).toFixed(1)} turns/s (${ingestSeconds.toFixed(1)} s), ${screenedOut} turns refused by the injection screen`,
  `search: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms over ${latencies.length} queries`,
];
process.stdout.write(`${lines.join('\n')}\n`);

if (values.json) {
  const report = {
    date: new Date().toISOString(),
    embedder: embedder?.model ?? null,
    conversations: conversations.length,
    turns,
    categories: Object.fromEntries(rows.map((row) => [row.label, row])),
    overall,
    adversarial,
    ingestTurnsPerSecond: turns / ingestSeconds,
    screenedOut,
    searchMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
  await writeFile(resolve(values.json), `${JSON.stringify(report, null, 2)}\n`);
}
