import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeQdrantError } from './fake-qdrant-filter.js';
import { createFakeQdrantStore, type FakeQdrantStore } from './fake-qdrant-store.js';

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path, e.g. `/collections/memnex_x_1a2b3c/points/query`. */
  path: string;
  /** Query parameters, e.g. `{ wait: 'true' }`. */
  query: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The `api-key` header, when sent. */
  apiKey: string | undefined;
}

/** A failure to answer instead of the real response. */
export interface InjectedFailure {
  /** HTTP status to answer with, e.g. 503. */
  status: number;
  /** How many matching requests fail; defaults to 1. */
  times?: number;
  /** Only requests whose `METHOD path` matches, e.g. `/^PUT .*\/points$/`; defaults to all. */
  match?: RegExp;
}

/** An in-process stand-in for a Qdrant server, speaking its REST API over real HTTP. */
export interface FakeQdrantServer {
  /** Base URL to give the client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The data behind the server, for assertions. */
  readonly store: FakeQdrantStore;
  /** Answer the next matching request(s) with an error status. */
  fail(failure: InjectedFailure): void;
  /** Forget the recorded requests (not the data). */
  clearRequests(): void;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/** Options of {@link startFakeQdrant}. */
export interface FakeQdrantOptions {
  /** When set, requests without this `api-key` header are refused with 401. */
  apiKey?: string;
}

type Handler = (store: FakeQdrantStore, name: string, body: Record<string, unknown>) => unknown;

/**
 * The routes the adapter's client calls, as in Qdrant's OpenAPI document. The collection name
 * is the first path parameter of each.
 */
const ROUTES: Array<{ method: string; pattern: RegExp; handle: Handler }> = [
  { method: 'GET', pattern: /^\/collections$/, handle: (store) => store.listCollections() },
  {
    method: 'GET',
    pattern: /^\/collections\/([^/]+)$/,
    handle: (store, name) => store.getCollection(name),
  },
  {
    method: 'PUT',
    pattern: /^\/collections\/([^/]+)$/,
    handle: (store, name, body) => store.createCollection(name, body),
  },
  {
    method: 'DELETE',
    pattern: /^\/collections\/([^/]+)$/,
    handle: (store, name) => store.deleteCollection(name),
  },
  {
    method: 'PUT',
    pattern: /^\/collections\/([^/]+)\/index$/,
    handle: (store, name, body) => store.createIndex(name, body),
  },
  {
    method: 'PUT',
    pattern: /^\/collections\/([^/]+)\/points$/,
    handle: (store, name, body) => store.upsert(name, body),
  },
  {
    method: 'POST',
    pattern: /^\/collections\/([^/]+)\/points$/,
    handle: (store, name, body) => store.retrieve(name, body),
  },
  {
    method: 'POST',
    pattern: /^\/collections\/([^/]+)\/points\/query$/,
    handle: (store, name, body) => store.query(name, body),
  },
  {
    method: 'POST',
    pattern: /^\/collections\/([^/]+)\/points\/payload$/,
    handle: (store, name, body) => store.setPayload(name, body),
  },
  {
    method: 'POST',
    pattern: /^\/collections\/([^/]+)\/points\/delete$/,
    handle: (store, name, body) => store.deletePoints(name, body),
  },
  {
    method: 'POST',
    pattern: /^\/collections\/([^/]+)\/points\/count$/,
    handle: (store, name, body) => store.count(name, body),
  },
];

/**
 * Start a fake Qdrant on `127.0.0.1` and a free port. It answers in Qdrant's envelope
 * (`{ result, status: 'ok', time }`, errors as `{ status: { error }, time }`), keeps real state
 * with real filter semantics and cosine scores, and records every request.
 */
export async function startFakeQdrant(options: FakeQdrantOptions = {}): Promise<FakeQdrantServer> {
  const store = createFakeQdrantStore();
  const requests: RecordedRequest[] = [];
  const failures: Array<Required<InjectedFailure>> = [];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const reply = (status: number, payload: Record<string, unknown>) => {
      const time = Number(process.hrtime.bigint() - started) / 1e9;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...payload, time }));
    };
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const text = await readBody(request);
    let body: unknown = undefined;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      reply(400, { status: { error: 'Format error in JSON body: invalid JSON' } });
      return;
    }
    const apiKey = headerValue(request.headers['api-key']);
    const method = request.method ?? 'GET';
    requests.push({ method, path, query: Object.fromEntries(url.searchParams), body, apiKey });

    if (options.apiKey !== undefined && apiKey !== options.apiKey) {
      reply(401, { status: { error: 'Must provide an API key or an Authorization bearer token' } });
      return;
    }
    const failure = failures.find((candidate) => candidate.match.test(`${method} ${path}`));
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      reply(failure.status, {
        status: { error: `Service internal error: injected ${failure.status}` },
      });
      return;
    }
    for (const route of ROUTES) {
      const found = route.method === method ? route.pattern.exec(path) : null;
      if (!found) continue;
      try {
        const result = route.handle(store, found[1] ?? '', (body ?? {}) as Record<string, unknown>);
        reply(200, { result, status: 'ok' });
      } catch (error) {
        if (!(error instanceof FakeQdrantError)) throw error;
        reply(error.status, { status: { error: error.message } });
      }
      return;
    }
    reply(404, { status: { error: `Not found: no route ${method} ${path}` } });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ status: { error: `fake crashed: ${String(error)}` }, time: 0 }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    store,
    fail(failure) {
      failures.push({ times: 1, match: /.*/, ...failure });
    },
    clearRequests() {
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
