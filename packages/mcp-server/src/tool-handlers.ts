import { type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { type SessionContext } from './auth.js';
import { errorPayloadOf, toolErrorResult } from './errors.js';
import { TOOLS } from './tools/index.js';

const BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** The `tools/list` answer: the same for every session, so built once. */
const LISTING = {
  tools: TOOLS.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
  })),
};

/**
 * Serve `tools/list` and `tools/call` on the low-level server. McpServer's own tool handling
 * answers argument errors with an unstructured message and no code; here every failure after the
 * tool is found, bad arguments included, is a tool error with a stable code and
 * `structuredContent`.
 */
export function installToolHandlers(server: McpServer, session: SessionContext): void {
  server.server.registerCapabilities({ tools: { listChanged: false } });
  server.server.setRequestHandler(ListToolsRequestSchema, () => LISTING);
  server.server.setRequestHandler(
    CallToolRequestSchema,
    async (request): Promise<CallToolResult> => {
      const tool = BY_NAME.get(request.params.name);
      // An unknown tool is a protocol error (MCP spec), not a tool error.
      if (!tool)
        throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
      try {
        return await tool.call(request.params.arguments, session);
      } catch (error) {
        const payload = errorPayloadOf(error, session.logger);
        session.logger.debug('tool call failed', { tool: tool.name, code: payload.code });
        return toolErrorResult(payload);
      }
    },
  );
}
