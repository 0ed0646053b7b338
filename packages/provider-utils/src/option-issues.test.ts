import { describe, expect, it } from 'vitest';
import { type OptionIssue, OptionIssues } from './option-issues.js';

/** Thrown by the test's error factory, carrying what it was given. */
class OptionsError extends Error {
  constructor(
    readonly issues: OptionIssue[],
    message: string,
  ) {
    super(message);
  }
}

const issuesFor = () =>
  new OptionIssues('createThing', (issues, message) => new OptionsError(issues, message));

function thrownBy(check: () => void): OptionsError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(OptionsError);
    return error as OptionsError;
  }
  throw new Error('expected the check to throw');
}

describe('OptionIssues', () => {
  it('throws nothing when every option is valid or absent', () => {
    expect(() =>
      issuesFor()
        .integer('batchSize', 1, 1)
        .integer('cacheSize', undefined, 0)
        .number('temperature', 0.5, 0, 2, false)
        .number('timeoutMs', undefined, 1, 600_000, true)
        .text('model', 'm', true)
        .text('apiKey', undefined, false)
        .httpUrl('url', 'https://example.com/v1', true)
        .httpUrl('baseUrl', undefined, false)
        .callable('fetch', () => undefined)
        .oneOf('taskType', 'B', ['A', 'B'])
        .throwIfAny(),
    ).not.toThrow();
  });

  it('lists every problem, in order, in the message and in the issues', () => {
    const error = thrownBy(() =>
      issuesFor()
        .integer('batchSize', 0, 1)
        .number('temperature', 3, 0, 2, false)
        .number('timeoutMs', 1.5, 1, 600_000, true)
        .text('model', '  ', true)
        .text('apiKey', undefined, true)
        .httpUrl('url', 'ftp://example.com', true)
        .httpUrl('baseUrl', 'not a url', false)
        .callable('fetch', 'fetch')
        .oneOf('taskType', 'C', ['A', 'B'])
        .throwIfAny(),
    );
    expect(error.issues).toEqual([
      { path: 'batchSize', message: 'must be an integer >= 1', code: 'invalid_number' },
      { path: 'temperature', message: 'must be a number from 0 to 2', code: 'invalid_number' },
      {
        path: 'timeoutMs',
        message: 'must be an integer from 1 to 600000',
        code: 'invalid_number',
      },
      { path: 'model', message: 'must be a non-empty string', code: 'invalid_string' },
      { path: 'apiKey', message: 'must be a non-empty string', code: 'invalid_string' },
      { path: 'url', message: 'must be an absolute http(s) URL', code: 'invalid_url' },
      { path: 'baseUrl', message: 'must be an absolute http(s) URL', code: 'invalid_url' },
      { path: 'fetch', message: 'must be a function', code: 'invalid_type' },
      { path: 'taskType', message: 'must be one of A, B', code: 'invalid_enum_value' },
    ]);
    expect(error.message).toMatch(
      /^invalid options for createThing: batchSize: must be an integer >= 1; temperature: /u,
    );
    expect(error.message).toContain('; taskType: must be one of A, B');
  });

  it('requires a value only when asked to', () => {
    const error = thrownBy(() =>
      issuesFor()
        .httpUrl('url', undefined, true)
        .number('maxTokens', NaN, 1, 10, true)
        .throwIfAny(),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['url', 'maxTokens']);
  });
});
