import { screenText } from '../screening/screen-text.js';
import { BENIGN_CORPUS } from './benign.js';
import { evaluateCorpus, formatCorpusReport } from './evaluate.js';

/**
 * Time the screen over the benign corpus (the texts a deployment screens on almost every write):
 * one warm-up pass, then `ROUNDS` timed passes; per-text latencies in milliseconds.
 */
function screeningLatency(): { p50: number; p95: number; texts: number } {
  const ROUNDS = 5;
  for (const sample of BENIGN_CORPUS) screenText(sample.text);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const sample of BENIGN_CORPUS) {
      const start = performance.now();
      screenText(sample.text);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const at = (share: number) =>
    times[Math.min(times.length - 1, Math.floor(times.length * share))]!;
  return { p50: at(0.5), p95: at(0.95), texts: times.length };
}

const latency = screeningLatency();
process.stdout.write(
  `${formatCorpusReport(evaluateCorpus())}\n\nscreening latency over ${latency.texts} benign texts: ` +
    `p50 ${latency.p50.toFixed(3)} ms, p95 ${latency.p95.toFixed(3)} ms\n`,
);
