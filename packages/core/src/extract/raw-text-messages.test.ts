import { describe, expect, it } from 'vitest';
import { rawTextMessages } from './raw-text-messages.js';

const now = new Date('2026-03-02T10:00:00.000Z');
const split = (
  text: Parameters<typeof rawTextMessages>[0],
  channel: 'voice' | 'whatsapp' | 'sms' | 'email' | 'web' | null = null,
) => rawTextMessages(text, { channel, now });

describe('rawTextMessages', () => {
  it('recognises transcript speaker labels, with or without timestamps', () => {
    const messages = split(
      [
        'Agent: Thanks for calling, how can I help?',
        'Caller - um my order is late',
        '[00:01:02] Customer: It was due on Monday.',
        '00:01:09 Agent: Let me check.',
        'Priya Shah: I live in Pune',
      ].join('\n'),
      'voice',
    );
    expect(messages.map((message) => [message.speaker, message.role, message.text])).toEqual([
      ['Agent', 'agent', 'Thanks for calling, how can I help?'],
      ['Caller', 'user', 'my order is late'],
      ['Customer', 'user', 'It was due on Monday.'],
      ['Agent', 'agent', 'Let me check.'],
      ['Priya Shah', 'user', 'I live in Pune'],
    ]);
    expect(messages[2]!.metadata).toMatchObject({ time: '00:01:02', speaker: 'Customer' });
  });

  it('reads both WhatsApp export formats, multi-line messages and system lines', () => {
    const messages = split(
      [
        '[12/03/24, 10:14] Messages and calls are end-to-end encrypted.',
        '[12/03/24, 10:15] Priya: My order #4521 arrived damaged',
        'the box was crushed too',
        '[12/03/24, 10:16] Priya: <Media omitted>',
        '12/03/2024, 10:17 - Acme Support: So sorry! Let me check.',
        '3/15/24, 8:05 PM - Priya: thanks',
      ].join('\n'),
      'whatsapp',
    );
    expect(messages.map((message) => [message.speaker, message.role, message.text])).toEqual([
      ['Priya', 'user', 'My order #4521 arrived damaged\nthe box was crushed too'],
      ['Acme Support', 'agent', 'So sorry! Let me check.'],
      ['Priya', 'user', 'thanks'],
    ]);
    expect(messages[0]!.metadata.sentAt).toBe('12/03/24, 10:15');
  });

  it('finds the agent of a chat by what they say when names do not tell', () => {
    const messages = split(
      ['Ravi: my AC is leaking', 'Meena: Sorry to hear that, let me check.'].join('\n'),
    );
    expect(messages.map((message) => message.role)).toEqual(['user', 'agent']);
  });

  it('does not take headings for speakers', () => {
    const messages = split('Note: my order 4521 is late\nOrder 4521: still not here', 'sms');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.speaker).toBeNull();
  });

  it('keeps a message list, its ids, speakers and times, and derives the missing ids', () => {
    const list = [
      { id: 'm-1', speaker: 'user', text: 'My order is late', observedAt: '2026-03-01T09:00:00Z' },
      { speaker: 'assistant', text: 'Let me check that.' },
    ];
    const messages = split(list, 'web');
    expect(messages[0]).toMatchObject({
      id: 'm-1',
      role: 'user',
      observedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(messages[1]).toMatchObject({ role: 'agent', observedAt: now.toISOString() });
    expect(messages[1]!.id).toMatch(/^rt-[0-9a-f]{16}-1$/u);
    expect(split(list, 'web')[1]!.id).toBe(messages[1]!.id);
    expect(split([...list, { text: 'and one more' }], 'web')[1]!.id).not.toBe(messages[1]!.id);
  });

  it('leaves quoted history and signatures out of an email', () => {
    const [message] = split(
      [
        'Hi,',
        '',
        'My invoice is wrong.',
        '',
        '-- ',
        'Ana',
        'On Mon, 2 Mar 2026, Support wrote:',
        '> old',
      ].join('\n'),
      'email',
    );
    expect(message!.text).toBe('Hi,\n\nMy invoice is wrong.');
  });

  it('drops messages that cleaning leaves empty, and refuses too many messages', () => {
    expect(split('Caller: um uh\nAgent: hmm', 'voice')).toEqual([]);
    expect(split('\n\n   \n\n', 'sms')).toEqual([]);
    const lines = Array.from({ length: 201 }, (_, index) => `Agent: line ${index}`).join('\n');
    expect(() => split(lines)).toThrow(/splits into 201 messages/u);
  });

  it('cuts a message longer than a stored message may be at word boundaries', () => {
    const messages = split('word '.repeat(8000), 'sms');
    expect(messages.length).toBe(3);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(16_384);
    expect(
      messages
        .map((message) => message.text)
        .join(' ')
        .split(' '),
    ).toHaveLength(8000);
  });
});
