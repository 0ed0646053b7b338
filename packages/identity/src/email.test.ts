import { describe, expect, it } from 'vitest';
import { IdentifierError } from './identifier-error.js';
import { normalizeIdentifier } from './normalize.js';

function email(id: string): string {
  const canonical = normalizeIdentifier({ channel: 'email', id });
  expect(canonical.namespace).toBe('email');
  return canonical.value;
}

describe('email', () => {
  it.each([
    ['A@B.com', 'a@b.com'],
    ['  Ann.Lee@Example.COM  ', 'ann.lee@example.com'],
    ['mailto:Ann@Example.com', 'ann@example.com'],
    ['MAILTO:ann+orders@example.com', 'ann+orders@example.com'],
    ['ann@bücher.de', 'ann@xn--bcher-kva.de'],
    ['Ann@BÜCHER.DE', 'ann@xn--bcher-kva.de'],
    ['ann@xn--bcher-kva.de', 'ann@xn--bcher-kva.de'],
    ['ann＠example．com', 'ann@example.com'],
    ['ann@例え。テスト', 'ann@xn--r8jz45g.xn--zckzah'],
    ['\u200bann@example.com\u200e', 'ann@example.com'],
    ['Prīya@example.in', 'prīya@example.in'],
  ])('%s is %s', (id, expected) => {
    expect(email(id)).toBe(expected);
  });

  it('makes the unicode and punycode forms of a domain equal', () => {
    expect(email('ann@münchen.de')).toBe(email('ann@xn--mnchen-3ya.de'));
  });

  it.each([
    'ann',
    'ann@',
    '@example.com',
    'ann@example',
    'ann@@example.com',
    'ann@bob@example.com',
    'ann lee@example.com',
    'Ann <ann@example.com>',
    '"ann"@example.com',
    'ann@example..com',
    'ann@.example.com',
    'ann@example.com.',
    'ann@-example.com',
    'ann@exa_mple.com',
    'ann@example.com?subject=hi',
    'ann@example.com/path',
    'ann@1.2.3.4',
    'ann@[127.0.0.1]',
    'mailto:',
  ])('%s is not an email', (id) => {
    let reason: string | undefined;
    try {
      normalizeIdentifier({ channel: 'email', id });
    } catch (error) {
      if (!IdentifierError.isInstance(error)) throw error;
      reason = error.reason;
    }
    expect(reason).toBe('not_an_email');
  });
});
