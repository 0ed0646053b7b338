/** Test support for provider packages: a local HTTP server that records requests and answers them. */
export { startFakeHttpServer } from './testing/fake-http-server.js';
export type { FakeHttpServer, FakeReply, RecordedRequest } from './testing/fake-http-server.js';
