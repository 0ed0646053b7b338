import type { FakeReply } from '@memnex/provider-utils/testing';
import { describe, expect, it } from 'vitest';
import { createOpenAIExtractor } from './openai-extractor.js';
import {
  conversationOn,
  extractionFailureOf,
  useFakeModelEndpoint,
} from './test-model-endpoint.js';

const API_KEY = 'sk-test-0123456789abcdef';
const INPUT = conversationOn('whatsapp', [
  { id: 'm-1', speaker: 'Priya', role: 'user', text: 'My order #4521 arrived damaged' },
]);
const FACT = {
  type: 'issue',
  text: 'Order 4521 arrived damaged',
  entities: ['order:4521'],
  messageId: 'm-1',
  confidence: 0.9,
};

const { extractorAnswering, requests } = useFakeModelEndpoint((url, timeoutMs) =>
  createOpenAIExtractor({
    url: `${url}/v1/`,
    model: 'gpt-4o-mini',
    apiKey: API_KEY,
    timeoutMs,
  }),
);

/** Answers like the chat completions API with `content` as the model's message. */
const completion = (content: unknown, extra: Record<string, unknown> = {}): FakeReply => ({
  status: 200,
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason: 'stop',
        ...extra,
      },
    ],
  },
});

describe('createOpenAIExtractor', () => {
  it('asks for strict structured output and returns the validated facts', async () => {
    const extractor = await extractorAnswering(() => completion(JSON.stringify({ facts: [FACT] })));
    await expect(extractor.extract(INPUT)).resolves.toEqual([FACT]);

    const request = requests()[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = request.body as {
      model: string;
      temperature: number;
      messages: Array<{ role: string; content: string }>;
      response_format: {
        type: string;
        json_schema: { name: string; strict: boolean; schema: { required: string[] } };
      };
    };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBe(0);
    expect(body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(JSON.parse(body.messages[1]!.content)).toEqual({
      channel: 'whatsapp',
      messages: [
        {
          id: 'm-1',
          role: 'customer',
          speaker: 'Priya',
          observedAt: '2026-03-02T10:00:00.000Z',
          text: 'My order #4521 arrived damaged',
        },
      ],
    });
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'memnex_facts', strict: true, schema: { required: ['facts'] } },
    });
  });

  it('fails with TIMEOUT when the endpoint does not answer in time', async () => {
    const extractor = await extractorAnswering(() => undefined, 150);
    const error = await extractionFailureOf(extractor.extract(INPUT));
    expect(error.details).toMatchObject({ reason: 'TIMEOUT', timeoutMs: 150 });
  });

  it('fails with HTTP_ERROR on a 500, without the API key in the message', async () => {
    const extractor = await extractorAnswering(() => ({
      status: 500,
      body: { error: { message: `upstream failed for key ${API_KEY}` } },
    }));
    const error = await extractionFailureOf(extractor.extract(INPUT));
    expect(error.details).toMatchObject({ reason: 'HTTP_ERROR', status: 500 });
    expect(error.message).toContain('status 500');
    expect(error.message).not.toContain(API_KEY);
  });

  it('fails with NETWORK_ERROR when the endpoint cannot be reached', async () => {
    const refused = new TypeError('fetch failed');
    const extractor = createOpenAIExtractor({
      url: 'http://127.0.0.1:9/v1',
      model: 'gpt-4o-mini',
      fetch: () => Promise.reject(refused),
    });
    const error = await extractionFailureOf(extractor.extract(INPUT));
    expect(error.details).toMatchObject({ reason: 'NETWORK_ERROR', provider: 'openai' });
    expect(error.message).toBe('openai extraction request failed before a response arrived');
    expect(error.cause).toBe(refused);
  });

  it('fails with INVALID_JSON on a malformed answer or content', async () => {
    for (const reply of [
      (): FakeReply => ({ status: 200, body: '{"choices": [' }),
      () => completion('Sure! Here are the facts: order 4521'),
      () => completion('{"facts": [', { finish_reason: 'length' }),
    ]) {
      const extractor = await extractorAnswering(reply);
      expect((await extractionFailureOf(extractor.extract(INPUT))).details?.reason).toBe(
        'INVALID_JSON',
      );
    }
  });

  it('fails with SCHEMA_MISMATCH when the answer breaks the fact schema', async () => {
    for (const content of [
      { facts: [{ ...FACT, type: 'gossip' }] },
      { facts: [{ ...FACT, entities: ['order 4521'] }] },
      { facts: [{ ...FACT, confidence: 7 }] },
      { facts: [{ ...FACT, extra: true }] },
      { items: [] },
    ]) {
      const extractor = await extractorAnswering(() => completion(JSON.stringify(content)));
      const error = await extractionFailureOf(extractor.extract(INPUT));
      expect(error.details?.reason, JSON.stringify(content)).toBe('SCHEMA_MISMATCH');
    }
  });

  it('fails when the model refuses', async () => {
    const extractor = await extractorAnswering(() => ({
      status: 200,
      body: {
        choices: [
          { message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } },
        ],
      },
    }));
    const error = await extractionFailureOf(extractor.extract(INPUT));
    expect(error.message).toContain('refused');
  });

  it('validates its options, listing every problem', () => {
    expect(() => createOpenAIExtractor({ url: 'ftp://x', model: '', timeoutMs: 0 })).toThrow(
      /url: must be an absolute http\(s\) URL; model: must be a non-empty string; timeoutMs/u,
    );
  });
});
