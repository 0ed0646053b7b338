import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server received it. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** Path and query. */
  path: string;
  /** Lower-cased request headers. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body. */
  body: unknown;
}

/** What the fake server answers; `undefined` means never answer (for timeout tests). */
export type FakeReply = { status: number; body: unknown } | undefined;

/** A local HTTP server for provider tests; bound to 127.0.0.1 on a free port (port 0). */
export interface FakeHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  /** Stop the server and drop open connections. */
  close(): Promise<void>;
}

/** Start a fake server answering each request with `reply(request)`. */
export async function startFakeHttpServer(
  reply: (request: RecordedRequest) => FakeReply,
): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(request);
      const answer = reply(request);
      if (answer === undefined) return;
      const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      outgoing.writeHead(answer.status, { 'content-type': 'application/json' });
      outgoing.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
