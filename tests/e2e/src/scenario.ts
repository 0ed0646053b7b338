import { expect } from 'vitest';
import { callError, callOk, type Session } from './mcp-clients.js';

/** The person of the scenarios: one phone number, reached on voice and on WhatsApp. */
export const VOICE = { channel: 'voice', id: '+44 20 7946 0958' };
export const WHATSAPP = { channel: 'whatsapp', id: 'wa:442079460958' };

export const FACTS = [
  { fact: 'Order 4521 arrived damaged', type: 'issue', entities: ['order:4521'] },
  {
    fact: 'Prefers WhatsApp messages to phone calls',
    type: 'preference',
    entities: ['contact:channel'],
  },
];

/** What every Memnex MCP server lists. */
export async function expectSurface(session: Session): Promise<void> {
  const { client } = session;
  const tools = (await client.listTools()).tools.map((tool) => tool.name);
  expect(tools.sort()).toEqual(
    [
      'identity_link',
      'memory_forget',
      'memory_read',
      'memory_search',
      'memory_trace',
      'memory_write',
      'state_get',
      'state_set',
    ].sort(),
  );
  const resources = (await client.listResources()).resources.map((resource) => resource.uri);
  expect(resources).toEqual(
    expect.arrayContaining(['memnex://schema/fact-types', 'memnex://tenants/me/stats']),
  );
  const templates = (await client.listResourceTemplates()).resourceTemplates.map(
    (template) => template.uriTemplate,
  );
  expect(templates).toContain('memnex://users/{user_id}/memories');
  const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
  expect(prompts.sort()).toEqual(['hallucination-check', 'memory-reader', 'memory-writer']);
}

/** Write the facts by the voice number; they must come back by the WhatsApp id of that number. */
export async function writeByVoiceReadByWhatsApp(session: Session): Promise<void> {
  const written = await callOk<{ written: unknown[]; rejected: unknown[] }>(
    session,
    'memory_write',
    {
      identifier: VOICE,
      facts: FACTS,
    },
  );
  expect(written.written).toHaveLength(2);
  expect(written.rejected).toEqual([]);

  const read = await callOk<{ context: string; items: Array<{ text: string }> }>(
    session,
    'memory_read',
    { identifier: WHATSAPP, target_format: 'whatsapp' },
  );
  expect(read.items.map((item) => item.text).sort()).toEqual(FACTS.map((fact) => fact.fact).sort());
  expect(read.context).toContain('Order 4521 arrived damaged');
  expect(read.context).toMatch(/^[-•*] /mu);
}

/** Search finds the damaged order; trace supports the true claim and not the invented one. */
export async function searchAndTrace(session: Session): Promise<void> {
  const search = await callOk<{ hits: Array<{ text: string }> }>(session, 'memory_search', {
    identifier: WHATSAPP,
    query: 'damaged order',
  });
  expect(search.hits[0]?.text).toBe('Order 4521 arrived damaged');

  const trace = await callOk<{ supported: string[]; unsupported: string[]; coverage: number }>(
    session,
    'memory_trace',
    {
      identifier: VOICE,
      agent_output:
        'Your order 4521 arrived damaged. You also asked us to cancel your gym membership in Madrid.',
    },
  );
  expect(trace.supported).toHaveLength(1);
  expect(trace.supported[0]).toContain('4521');
  expect(trace.unsupported).toHaveLength(1);
  expect(trace.unsupported[0]).toContain('gym membership');
  expect(trace.coverage).toBeCloseTo(0.5);
}

/** Bad arguments for every tool: a tool error with a stable code each, and serving goes on. */
export async function expectToolErrors(session: Session): Promise<void> {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['memory_write', { identifier: VOICE, facts: [{ fact: '', type: 'rumour' }] }],
    ['memory_write', { user_id: 'u', identifier: VOICE, facts: FACTS }],
    ['memory_read', { user_id: 'u', token_budget: 0 }],
    ['memory_read', {}],
    ['memory_search', { user_id: 'u', query: '', max_results: 500 }],
    ['memory_trace', { user_id: 'u' }],
    ['memory_forget', { identifier: { channel: 'fax', id: '1' } }],
    ['identity_link', { user_id: 'u', link: { channel: 'email' } }],
    ['state_get', { key: 'has spaces' }],
    ['state_set', { key: 'plan:goal' }],
  ];
  const codes = new Set<string>();
  for (const [name, args] of bad) {
    const code = await callError(session, name, args);
    expect(code, `${name} ${JSON.stringify(args)}`).toBe('VALIDATION_FAILED');
    codes.add(name);
  }
  expect(codes.size).toBe(8);
  const unknown = await session.client.callTool({ name: 'memory_guess', arguments: {} }).then(
    (result) => (result.isError ? 'tool error' : 'ok'),
    () => 'protocol error',
  );
  expect(unknown).not.toBe('ok');
  // Still serving.
  await callOk(session, 'memory_read', { user_id: 'nobody-yet' });
}
