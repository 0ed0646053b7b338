import { describe, expect, it } from 'vitest';
import { IdentifierError } from './identifier-error.js';

describe('IdentifierError', () => {
  it('carries a stable code, the reason and the channel', () => {
    const error = new IdentifierError('empty', 'voice', 'The voice identifier is empty.');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'IdentifierError',
      code: 'invalid_identifier',
      reason: 'empty',
      channel: 'voice',
      message: 'The voice identifier is empty.',
    });
  });

  it('is recognised by its brand, also from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('memnex.identifier-error')]: true,
    });
    expect(IdentifierError.isInstance(new IdentifierError('empty', 'app', 'x'))).toBe(true);
    expect(IdentifierError.isInstance(foreign)).toBe(true);
    expect(IdentifierError.isInstance(new Error('x'))).toBe(false);
    expect(IdentifierError.isInstance(null)).toBe(false);
    expect(IdentifierError.isInstance('invalid_identifier')).toBe(false);
  });
});
