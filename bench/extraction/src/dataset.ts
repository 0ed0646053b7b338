import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One expected fact of a labelled utterance. */
export interface ExpectedFact {
  type: 'intent' | 'preference' | 'issue' | 'resolution' | 'profile';
  /** The key phrase a good extraction states. */
  text: string;
  entities: string[];
}

/** One labelled utterance: raw text as a channel delivers it, and the facts it holds. */
export interface Utterance {
  id: string;
  channel: 'voice' | 'whatsapp' | 'sms' | 'email' | 'web' | 'app';
  /** Fixed before any tuning: dev is for tuning, test is held out. */
  split: 'dev' | 'test';
  rawText: string | Array<{ id?: string; speaker?: string; text: string }>;
  /** When it was said; relative dates ("yesterday") resolve against it. */
  observedAt: string;
  expected: ExpectedFact[];
}

interface DataFile {
  channel: Utterance['channel'];
  referenceTime: string;
  utterances: Array<Omit<Utterance, 'channel' | 'observedAt'> & { observedAt?: string }>;
}

/** Every utterance of `directory/*.json`, in file and then id order. */
export async function loadDataset(directory: string): Promise<Utterance[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const utterances: Utterance[] = [];
  for (const file of files) {
    const data = JSON.parse(await readFile(join(directory, file), 'utf8')) as DataFile;
    for (const utterance of data.utterances) {
      utterances.push({
        ...utterance,
        channel: data.channel,
        observedAt: utterance.observedAt ?? data.referenceTime,
      });
    }
  }
  return utterances;
}
