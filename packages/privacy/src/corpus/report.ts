import { evaluateCorpus, formatCorpusReport } from './evaluate.js';

process.stdout.write(`${formatCorpusReport(evaluateCorpus())}\n`);
