import type { FakeReply } from '@memnex/provider-utils/testing';
import { describe, expect, it } from 'vitest';
import { ANTHROPIC_VERSION, createAnthropicExtractor } from './anthropic-extractor.js';
import {
  conversationOn,
  extractionFailureOf,
  useFakeModelEndpoint,
} from './test-model-endpoint.js';

const API_KEY = 'sk-ant-test-0123456789';
const INPUT = conversationOn('voice', [
  { id: 'm-1', speaker: 'Caller', role: 'user', text: 'I live in Pune' },
  { id: 'm-2', speaker: 'Agent', role: 'agent', text: "I've refunded ₹499" },
]);
const FACTS = [
  { type: 'profile', text: 'Lives in Pune', entities: [], messageId: 'm-1', confidence: 0.95 },
  {
    type: 'resolution',
    text: 'Refunded INR 499',
    entities: ['amount:INR499'],
    messageId: 'm-2',
    confidence: 0.9,
  },
];

const { extractorAnswering, requests } = useFakeModelEndpoint((url, timeoutMs) =>
  createAnthropicExtractor({
    url,
    apiKey: API_KEY,
    model: 'claude-3-5-haiku-latest',
    timeoutMs,
  }),
);

/** Answers like the Messages API with one content block list. */
const message = (content: unknown[], stopReason = 'tool_use'): FakeReply => ({
  status: 200,
  body: { id: 'msg_1', type: 'message', role: 'assistant', content, stop_reason: stopReason },
});
const toolUse = (input: unknown) => ({
  type: 'tool_use',
  id: 'toolu_1',
  name: 'record_facts',
  input,
});

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await extractionFailureOf(promise);
  expect(error.message).not.toContain(API_KEY);
  return error.details?.reason;
}

describe('createAnthropicExtractor', () => {
  it('forces a tool call whose input_schema is the fact schema, and returns its input', async () => {
    const extractor = await extractorAnswering(() =>
      message([{ type: 'text', text: 'Recording.' }, toolUse({ facts: FACTS })]),
    );
    await expect(extractor.extract(INPUT)).resolves.toEqual(FACTS);

    const request = requests()[0]!;
    expect(request.path).toBe('/messages');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    const body = request.body as {
      model: string;
      max_tokens: number;
      system: string;
      messages: Array<{ role: string; content: string }>;
      tools: Array<{ name: string; input_schema: { type: string; required: string[] } }>;
      tool_choice: unknown;
    };
    expect(body).toMatchObject({ model: 'claude-3-5-haiku-latest', max_tokens: 2048 });
    expect(body.system).toContain('resolution');
    expect(body.messages).toHaveLength(1);
    expect(
      JSON.parse(body.messages[0]!.content).messages.map((entry: { role: string }) => entry.role),
    ).toEqual(['customer', 'agent']);
    expect(body.tools[0]).toMatchObject({
      name: 'record_facts',
      input_schema: { type: 'object', required: ['facts'] },
    });
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'record_facts' });
  });

  it('fails with TIMEOUT, HTTP_ERROR and INVALID_JSON like the other provider', async () => {
    let extractor = await extractorAnswering(() => undefined, 150);
    expect(await reasonOf(extractor.extract(INPUT))).toBe('TIMEOUT');
    extractor = await extractorAnswering(() => ({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    }));
    expect(await reasonOf(extractor.extract(INPUT))).toBe('HTTP_ERROR');
    extractor = await extractorAnswering(() => ({ status: 200, body: '<html>gateway</html>' }));
    expect(await reasonOf(extractor.extract(INPUT))).toBe('INVALID_JSON');
    extractor = await extractorAnswering(() =>
      message([toolUse({ facts: [FACTS[0]] })], 'max_tokens'),
    );
    expect(await reasonOf(extractor.extract(INPUT))).toBe('INVALID_JSON');
  });

  it('fails with SCHEMA_MISMATCH without the tool call or with an input that breaks the schema', async () => {
    for (const content of [
      [{ type: 'text', text: '{"facts": []}' }],
      [toolUse({ facts: [{ ...FACTS[0], type: 'rumour' }] })],
      [toolUse({ facts: [{ ...FACTS[0], text: '' }] })],
      [toolUse({ facts: 'none' })],
    ]) {
      const extractor = await extractorAnswering(() => message(content));
      expect(await reasonOf(extractor.extract(INPUT)), JSON.stringify(content)).toBe(
        'SCHEMA_MISMATCH',
      );
    }
  });

  it('gives up when the caller aborts', async () => {
    const extractor = await extractorAnswering(() => undefined, 5000);
    const controller = new AbortController();
    const pending = extractor.extract({ ...INPUT, signal: controller.signal });
    controller.abort();
    expect(await reasonOf(pending)).toBe('FAILED');
  });

  it('validates its options', () => {
    expect(() => createAnthropicExtractor({ apiKey: '', model: 'claude', maxTokens: -1 })).toThrow(
      /apiKey: must be a non-empty string; maxTokens/u,
    );
  });
});
