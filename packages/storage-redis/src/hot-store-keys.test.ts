import { describe, expect, it } from 'vitest';
import { createHotStoreKeys, escapeGlob } from './hot-store-keys.js';

describe('createHotStoreKeys', () => {
  const keys = createHotStoreKeys('memnex:');

  it('puts the tenant in the hash tag and the id last', () => {
    expect(keys.workingSet('t_1', 'u1')).toBe('memnex:{t_1}:ws:u1');
    expect(keys.generation('t_1', 'u1')).toBe('memnex:{t_1}:gen:u1');
    expect(keys.identifier('t_1', 'email:a@b.co')).toBe('memnex:{t_1}:id:email:a@b.co');
    expect(keys.identifierIndex('t_1', 'u1')).toBe('memnex:{t_1}:ids:u1');
  });

  it('encodes tenant ids so they cannot end the hash tag or fake a kind', () => {
    expect(keys.workingSet('a}:ws:b', 'u')).toBe('memnex:{a%7D%3Aws%3Ab}:ws:u');
    expect(keys.kindOf(keys.identifier('a}:gen:b', 'x:y'))).toBe('id');
  });

  it('recognises its own keys only', () => {
    expect(keys.kindOf('memnex:{t}:gen:u')).toBe('gen');
    expect(keys.kindOf('memnex:{t}:ids:u')).toBe('ids');
    expect(keys.kindOf('memnex:ratelimit:k')).toBeNull();
    expect(keys.kindOf('memnex:{t}:other:u')).toBeNull();
    expect(keys.kindOf('other:{t}:ws:u')).toBeNull();
  });

  it('matches only keys that follow the prefix with a brace', () => {
    expect(createHotStoreKeys('app*[1]:').pattern).toBe('app\\*\\[1\\]:{*');
  });
});

describe('escapeGlob', () => {
  it('escapes the metacharacters of SCAN MATCH', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });
});
