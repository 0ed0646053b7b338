import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The body of `POST /analyze`, as the fake received it. */
export interface AnalyzeRequest {
  text: string;
  language: string;
  entities?: string[];
  score_threshold?: number;
  correlation_id?: string;
}

/** One recognizer result, offsets in code points as Presidio (Python) counts them. */
export interface RecognizerResult {
  entity_type: string;
  start: number;
  end: number;
  score: number;
  analysis_explanation?: unknown;
  recognition_metadata?: unknown;
}

/**
 * How the fake answers one request: findings (200 with their JSON), a status with a raw body,
 * or `hang` (headers never sent, so the client has to time out).
 */
export type FakeAnswer = RecognizerResult[] | { status: number; body: string } | 'hang';

/** A local stand-in for the Presidio analyzer's HTTP API. */
export interface FakePresidio {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request to `…/analyze`, in order. */
  requests: AnalyzeRequest[];
  /** The path of each of those requests. */
  paths: string[];
  /** Decides each answer; {@link recognize} by default. Replace it to change behaviour. */
  answer: (request: AnalyzeRequest) => FakeAnswer;
  close(): Promise<void>;
}

const PEOPLE = ['Vikram Sharma', 'Priya', 'Ravi Kumar'];
const PLACES = ['Pune', 'Bengaluru', '12 MG Road'];

/**
 * A tiny recogniser speaking Presidio's shape: a few known names and places, IPv4 addresses,
 * digit runs that look like phones, and dates (which Memnex ignores). It honours `entities` and
 * `score_threshold` and reports code-point offsets, as the real analyzer does.
 */
export function recognize(request: AnalyzeRequest): RecognizerResult[] {
  const { text } = request;
  const codePoint = (index: number) => Array.from(text.slice(0, index)).length;
  const results: RecognizerResult[] = [];
  const add = (entity_type: string, pattern: RegExp, score: number) => {
    for (const match of text.matchAll(pattern)) {
      results.push({
        entity_type,
        start: codePoint(match.index),
        end: codePoint(match.index + match[0].length),
        score,
        analysis_explanation: null,
        recognition_metadata: { recognizer_name: 'FakeRecognizer' },
      });
    }
  };
  const words = (list: string[]) => new RegExp(`\\b(?:${list.join('|')})\\b`, 'g');
  add('PERSON', words(PEOPLE), 0.85);
  add('LOCATION', words(PLACES), 0.85);
  add('IP_ADDRESS', /\b\d{1,3}(?:\.\d{1,3}){3}\b/g, 0.95);
  add('PHONE_NUMBER', /\b\d{5} \d{5}\b/g, 0.75);
  add('DATE_TIME', /\b\d{2}\/\d{2}\/\d{4}\b/g, 0.85);
  return results.filter(
    (result) =>
      (request.entities === undefined || request.entities.includes(result.entity_type)) &&
      result.score >= (request.score_threshold ?? 0),
  );
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakePresidio(): Promise<FakePresidio> {
  const requests: AnalyzeRequest[] = [];
  const fake: FakePresidio = {
    url: '',
    requests,
    paths: [],
    answer: recognize,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    void handle(fake, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function handle(
  fake: FakePresidio,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (request.method !== 'POST' || !request.url?.endsWith('/analyze')) {
    response.writeHead(404).end();
    return;
  }
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AnalyzeRequest;
  fake.requests.push(parsed);
  fake.paths.push(request.url);
  const answer = fake.answer(parsed);
  if (answer === 'hang') return;
  if (Array.isArray(answer)) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    return;
  }
  response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
}

/**
 * A fake started once for the test file and closed after it, its requests forgotten and its
 * answers back to {@link recognize} before each test.
 */
export function useFakePresidio(): FakePresidio {
  let fake: FakePresidio | undefined;
  const started = () => {
    if (!fake) throw new Error('the fake Presidio starts in beforeAll');
    return fake;
  };
  beforeAll(async () => {
    fake = await startFakePresidio();
  });
  afterAll(() => fake?.close());
  beforeEach(() => {
    started().requests.length = 0;
    started().paths.length = 0;
    started().answer = recognize;
  });
  return {
    get url() {
      return started().url;
    },
    get requests() {
      return started().requests;
    },
    get paths() {
      return started().paths;
    },
    get answer() {
      return started().answer;
    },
    set answer(answer) {
      started().answer = answer;
    },
    close: () => started().close(),
  };
}
