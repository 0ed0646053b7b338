import { describe, expect, it } from 'vitest';
import { scopeSchema } from '../wire/keys.js';
import { hasScope, requireScope } from './keys.js';

describe('scopes', () => {
  it('grants a scope that is held, or admin', () => {
    expect(hasScope(['memory:read'], 'memory:read')).toBe(true);
    expect(hasScope(['memory:read'], 'memory:write')).toBe(false);
    expect(hasScope(['admin'], 'pii:reveal')).toBe(true);
    expect(hasScope([], 'memory:read')).toBe(false);
  });

  it('refuses with FORBIDDEN only when the caller states its scopes', () => {
    expect(() => requireScope({ callerScopes: ['memory:read'] }, 'memory:forget')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', details: { needed: 'memory:forget' } }),
    );
    expect(() => requireScope({}, 'memory:forget')).not.toThrow();
  });

  it('accepts the documented scope shapes only', () => {
    for (const scope of [
      'memory:read',
      'pii:reveal',
      'admin',
      'state:write:plan:*',
      'state:read:**',
    ]) {
      expect(scopeSchema.safeParse(scope).success).toBe(true);
    }
    for (const scope of ['memory:*', 'state:delete:x', 'state:read:', 'ADMIN', 'state:read:a b']) {
      expect(scopeSchema.safeParse(scope).success).toBe(false);
    }
  });
});
