import { MemnexError } from '@memnex/core';
import { writeLine, type OutputStream } from './io.js';

/** Exit codes of the `memnex` command. */
export const EXIT_CODES = {
  /** Done. */
  ok: 0,
  /** The operation failed (a `MemnexError`, a chain that does not verify, a crash). */
  failure: 1,
  /** The command line was wrong, or the command is not available in this release. */
  usage: 2,
} as const;

interface IssueLike {
  path?: unknown;
  message?: unknown;
}

function issuesOf(error: MemnexError): IssueLike[] {
  const issues = error.details?.issues;
  return Array.isArray(issues) ? (issues as IssueLike[]) : [];
}

/** `path: message`, as `MemnexError.validation` words an issue. */
function issueLine(issue: IssueLike): string {
  const path = typeof issue.path === 'string' && issue.path !== '' ? `${issue.path}: ` : '';
  return `${path}${String(issue.message)}`;
}

/**
 * Print an error the way the command reports every failure: `error: <CODE> <message>`, then the
 * validation issues one per line and the underlying cause. Stack traces only for unexpected
 * errors, and only when `verbose` (MEMNEX_LOG_LEVEL=debug).
 */
export function reportError(stream: OutputStream, error: unknown, verbose = false): void {
  if (MemnexError.isInstance(error)) {
    const issues = issuesOf(error).map(issueLine);
    // The engine's default message joins the issues on one line: list them instead.
    const summarised = issues.length > 0 && error.message === issues.slice(0, 5).join('; ');
    if (summarised && issues.length === 1) {
      writeLine(stream, `error: ${error.code} ${issues[0]}`);
    } else {
      const headline = summarised ? `invalid input (${issues.length} problems)` : error.message;
      writeLine(stream, `error: ${error.code} ${headline}`);
      for (const issue of issues) writeLine(stream, `  - ${issue}`);
    }
    const cause: unknown = error.cause;
    if (cause instanceof Error && cause.message) writeLine(stream, `  cause: ${cause.message}`);
    if (verbose && cause instanceof Error && cause.stack) writeLine(stream, cause.stack);
    return;
  }
  const inUse = addressInUse(error);
  if (inUse) {
    writeLine(stream, `error: EADDRINUSE ${inUse}`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeLine(stream, `error: INTERNAL ${message}`);
  if (verbose && error instanceof Error && error.stack) writeLine(stream, error.stack);
}

/**
 * What to say of a server's port that another process holds, or undefined for any other error.
 * Node.js raises it from `listen` in one process and from `bind` in a node:cluster worker, both
 * with the address and port.
 */
function addressInUse(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, address, port } = error as Error & {
    code?: unknown;
    address?: unknown;
    port?: unknown;
  };
  if (code !== 'EADDRINUSE' || typeof port !== 'number') return undefined;
  const where = typeof address === 'string' ? ` on ${address}` : '';
  return `port ${port}${where} is already in use; stop what listens there or choose another --port`;
}

/** A configuration error whose headline is short: the issues that follow say what is wrong. */
export function configurationError(error: unknown): unknown {
  if (!MemnexError.isInstance(error) || error.code !== 'VALIDATION_FAILED') return error;
  return new MemnexError({
    code: 'VALIDATION_FAILED',
    message: 'invalid configuration',
    details: error.details,
  });
}
