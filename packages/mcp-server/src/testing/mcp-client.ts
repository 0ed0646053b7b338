/** Test helpers: calls and notifications of an MCP client talking to a Memnex server. */
import { type Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';

/** Calls a tool and answers its result, whether success or tool error. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured result of a successful call; fails the test on a tool error. */
export async function ok<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = await call(client, name, args);
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as T;
}

/** What a failed call carries in `structuredContent.error`. */
export interface ToolError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The error of a failed call; fails the test unless it is a tool error with a stable code. */
export async function toolError(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolError> {
  const result = await call(client, name, args);
  expect(result.isError).toBe(true);
  const error = (result.structuredContent as { error: ToolError }).error;
  expect(result.content).toEqual([{ type: 'text', text: `${error.code}: ${error.message}` }]);
  return error;
}

/** A promise of the URI of the next `notifications/resources/updated` the client receives. */
export function nextUpdate(client: Client): Promise<string> {
  return new Promise((resolve) =>
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
      resolve(notification.params.uri),
    ),
  );
}
