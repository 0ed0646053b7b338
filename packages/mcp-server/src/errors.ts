import { MemnexError, type Logger, type MemnexErrorCode } from '@memnex/core';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * Codes a tool or protocol error carries: the engine's stable codes, plus `NOT_AVAILABLE` (the HTTP
 * server is shutting down).
 */
export type ToolErrorCode = MemnexErrorCode | 'NOT_AVAILABLE';

/** The `error` object of a failed tool call's `structuredContent`. */
export interface ToolErrorPayload {
  /** Stable code, e.g. `VALIDATION_FAILED`, `FORBIDDEN`, `CONFLICT`. */
  code: ToolErrorCode;
  /** Human-readable message, safe to show to the agent. */
  message: string;
  /** Structured details, e.g. validation issues with field paths. */
  details?: Record<string, unknown>;
}

/** The stable payload of any failure; unexpected errors become `INTERNAL`, logged, not leaked. */
export function errorPayloadOf(error: unknown, logger: Logger): ToolErrorPayload {
  if (MemnexError.isInstance(error)) {
    if (error.code === 'INTERNAL' || error.code === 'STORAGE_UNAVAILABLE') {
      logger.error('engine call failed', { error, code: error.code });
    }
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  logger.error('unexpected error in a tool call', { error });
  return { code: 'INTERNAL', message: 'internal error' };
}

/** The MCP result of a failed call: `isError`, text `CODE: message`, and `{error}` structured. */
export function toolErrorResult(payload: ToolErrorPayload): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${payload.code}: ${payload.message}` }],
    structuredContent: { error: { ...payload } },
  };
}

const PROTOCOL_CODE: Partial<Record<ToolErrorCode, number>> = {
  VALIDATION_FAILED: ErrorCode.InvalidParams,
  NOT_FOUND: ErrorCode.InvalidParams,
  FORBIDDEN: ErrorCode.InvalidRequest,
  UNAUTHENTICATED: ErrorCode.InvalidRequest,
};

/**
 * A JSON-RPC error for requests other than tool calls (resources, subscriptions), with the stable
 * code in `data.code` and in the message.
 */
export function protocolErrorOf(error: unknown, logger: Logger): McpError {
  if (error instanceof McpError) return error;
  const payload = errorPayloadOf(error, logger);
  return new McpError(
    PROTOCOL_CODE[payload.code] ?? ErrorCode.InternalError,
    `${payload.code}: ${payload.message}`,
    payload,
  );
}
