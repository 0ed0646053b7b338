import { createServer, type AddressInfo } from 'node:net';
import { MemnexError } from '@memnex/core';
import { describe, expect, it, vi } from 'vitest';
import { reportError } from './errors.js';
import { withProgress } from './progress.js';
import { parseIdentifier } from './program.js';
import { waitForStop } from './shutdown.js';
import { captureIo } from './test-io.js';

describe('parseIdentifier', () => {
  it('splits at the first colon, so WhatsApp ids keep their wa: prefix', () => {
    expect(parseIdentifier('whatsapp:wa:442079460958')).toEqual({
      channel: 'whatsapp',
      id: 'wa:442079460958',
    });
    expect(parseIdentifier('Voice: +44 20 7946 0958')).toEqual({
      channel: 'voice',
      id: '+44 20 7946 0958',
    });
  });

  it('refuses a missing channel, an unknown one and an empty id', () => {
    for (const bad of ['442079460958', 'fax:1', 'sms:', ':1']) {
      expect(() => parseIdentifier(bad)).toThrow(/<channel>:<id>/);
    }
  });
});

describe('reportError', () => {
  it('prints the code, the message and one line per issue', () => {
    const { io, stderr } = captureIo();
    const issues = [
      { path: 'MEMNEX_EMBEDDINGS', message: 'must be one of local, hash', code: 'invalid_value' },
      { path: '', message: 'bad input', code: 'custom' },
    ];
    reportError(io.stderr, MemnexError.validation(issues, 'invalid configuration'));
    expect(stderr()).toBe(
      'error: VALIDATION_FAILED invalid configuration\n' +
        '  - MEMNEX_EMBEDDINGS: must be one of local, hash\n  - bad input\n',
    );
  });

  it('does not repeat issues the message already summarises', () => {
    const one = captureIo();
    reportError(
      one.io.stderr,
      MemnexError.validation([{ path: 'keyId', message: 'must look like k0123abcd', code: 'x' }]),
    );
    expect(one.stderr()).toBe('error: VALIDATION_FAILED keyId: must look like k0123abcd\n');
    const two = captureIo();
    reportError(
      two.io.stderr,
      MemnexError.validation([
        { path: 'scopes.1', message: 'unknown scope', code: 'x' },
        { path: 'scopes.2', message: 'unknown scope', code: 'x' },
      ]),
    );
    expect(two.stderr()).toBe(
      'error: VALIDATION_FAILED invalid input (2 problems)\n' +
        '  - scopes.1: unknown scope\n  - scopes.2: unknown scope\n',
    );
  });

  it('names the cause of a storage failure without a stack trace', () => {
    const { io, stderr } = captureIo();
    const cause = new Error('connection refused');
    reportError(
      io.stderr,
      new MemnexError({ code: 'STORAGE_UNAVAILABLE', message: 'storage failed', cause }),
    );
    expect(stderr()).toBe(
      'error: STORAGE_UNAVAILABLE storage failed\n  cause: connection refused\n',
    );
  });

  it('shows a stack for an unexpected error only when verbose', () => {
    const quiet = captureIo();
    reportError(quiet.io.stderr, new TypeError('boom'));
    expect(quiet.stderr()).toBe('error: INTERNAL boom\n');
    const verbose = captureIo();
    reportError(verbose.io.stderr, new TypeError('boom'), true);
    expect(verbose.stderr()).toContain('TypeError: boom\n    at ');
  });
});

describe('reportError of a port in use', () => {
  it('names the port and the address instead of an internal error', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const second = createServer();
    try {
      const error = await new Promise<unknown>((resolve) => {
        second.once('error', resolve);
        second.listen(port, '127.0.0.1');
      });
      const { io, stderr } = captureIo();
      reportError(io.stderr, error, true);
      expect(stderr()).toBe(
        `error: EADDRINUSE port ${port} on 127.0.0.1 is already in use; stop what listens ` +
          'there or choose another --port\n',
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('withProgress', () => {
  it('draws nothing when the stream is not a terminal', async () => {
    const { io, stderr } = captureIo();
    expect(await withProgress(io.stderr, 'working', async () => 42)).toBe(42);
    expect(stderr()).toBe('');
  });

  it('draws a spinner on a terminal and clears the line afterwards', async () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => written.push(text) };
    await expect(
      withProgress(terminal, 'working', () => Promise.reject(new Error('failed'))),
    ).rejects.toThrow('failed');
    expect(written[0]).toContain('working');
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });
});

describe('waitForStop', () => {
  it('stops on the first signal and exits at once, with code 1, on a second one', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      const { io, stderr, signals } = captureIo();
      const stop = waitForStop(io);
      signals.emit('SIGTERM');
      expect(await stop.stopped).toBe('SIGTERM');
      expect(exit).not.toHaveBeenCalled();
      signals.emit('SIGINT');
      expect(exit).toHaveBeenCalledWith(1);
      expect(stderr()).toBe('memnex: SIGINT again, exiting without waiting\n');
      stop.dispose();
      expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
    } finally {
      exit.mockRestore();
    }
  });
  it('stops when its supervisor asks; a signal after that is the first, a second runs beforeForcedExit', async () => {
    const order: string[] = [];
    const exit = vi
      .spyOn(process, 'exit')
      .mockImplementation(((code: number) => order.push(`exit ${code}`)) as never);
    try {
      const { io, signals } = captureIo();
      const stop = waitForStop(io, {
        requested: Promise.resolve(),
        beforeForcedExit: () => order.push('killed workers'),
      });
      expect(await stop.stopped).toBe('requested');
      signals.emit('SIGINT');
      expect(order).toEqual([]);
      signals.emit('SIGINT');
      expect(order).toEqual(['killed workers', 'exit 1']);
      stop.dispose();
    } finally {
      exit.mockRestore();
    }
  });
});
