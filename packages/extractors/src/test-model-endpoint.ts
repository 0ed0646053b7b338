import {
  MemnexError,
  type ExtractInput,
  type ExtractionMessage,
  type FactExtractor,
} from '@memnex/core';
import {
  type FakeHttpServer,
  type FakeReply,
  startFakeHttpServer,
} from '@memnex/provider-utils/testing';
import { afterEach, expect } from 'vitest';

/** A conversation on `channel` whose messages were all said at the same instant. */
export function conversationOn(
  channel: ExtractInput['channel'],
  messages: Array<Omit<ExtractionMessage, 'observedAt'>>,
): ExtractInput {
  return {
    channel,
    messages: messages.map((message) => ({ ...message, observedAt: '2026-03-02T10:00:00.000Z' })),
  };
}

/**
 * A fake model endpoint per extractor, closed when the next one starts and after each test of the
 * file, with `create` building the extractor under test against its URL.
 */
export function useFakeModelEndpoint(
  create: (url: string, timeoutMs: number | undefined) => FactExtractor,
) {
  let server: FakeHttpServer | undefined;
  const close = async () => {
    await server?.close();
    server = undefined;
  };
  afterEach(close);
  return {
    /** An extractor whose endpoint answers every request with `reply()`. */
    async extractorAnswering(reply: () => FakeReply, timeoutMs?: number): Promise<FactExtractor> {
      await close();
      server = await startFakeHttpServer(reply);
      return create(server.url, timeoutMs);
    },
    /** The requests the current endpoint received, in order. */
    requests: () => server?.requests ?? [],
  };
}

/** The error `promise` rejects with, checked to be a `MemnexError` `EXTRACTION_FAILED`. */
export async function extractionFailureOf(promise: Promise<unknown>): Promise<MemnexError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(MemnexError.isInstance(error)).toBe(true);
  expect((error as MemnexError).code).toBe('EXTRACTION_FAILED');
  return error as MemnexError;
}
