/**
 * Memnex over the Model Context Protocol: tools, resources (with subscriptions) and prompts,
 * served on stdio and Streamable HTTP, plus a stdio-to-HTTP bridge for desktop clients.
 */

/** Build one session's MCP server bound to a verified key (used by every transport). */
export { createMcpServer, SERVER_INFO } from './create-mcp-server.js';
export type { CreateMcpServerOptions } from './create-mcp-server.js';
/** The verified key a session acts with. */
export type { McpAuth } from './auth.js';

/** Serve one session over stdio with a key verified at start. */
export { serveStdio } from './stdio.js';
export type { ServeStdioOptions } from './stdio.js';
/** A running stdio server or bridge. */
export type { StdioSession } from './stdio-session.js';

/** Streamable HTTP at `/mcp` for many tenants: per-request Bearer auth, stateful sessions. */
export { createMcpHttpHandler } from './http-handler.js';
export type { McpHttpHandler, McpHttpHandlerOptions } from './http-handler.js';
/** The HTTP handler on a node:http server. */
export { serveMcpHttp } from './http-server.js';
export type { McpHttpServer, ServeMcpHttpOptions } from './http-server.js';

/** Forward a stdio MCP client to a remote Memnex server (`MEMNEX_URL`). */
export { bridgeStdioToRemote, mcpEndpointOf } from './bridge.js';
export type { BridgeStdioOptions } from './bridge.js';

/** What a failed tool call carries in `structuredContent.error`. */
export type { ToolErrorCode, ToolErrorPayload } from './errors.js';

/** URIs of the resources. */
export {
  FACT_TYPES_URI,
  STATE_TEMPLATE,
  stateUri,
  TENANT_STATS_URI,
  USER_MEMORIES_TEMPLATE,
  userMemoriesUri,
} from './resource-uris.js';
