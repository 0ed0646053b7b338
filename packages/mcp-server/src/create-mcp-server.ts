import { silentLogger, type Logger, type Memnex } from '@memnex/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type McpAuth, type SessionContext } from './auth.js';
import { installPrompts } from './prompts.js';
import { installResources } from './resources.js';
import { installToolHandlers } from './tool-handlers.js';
import { packageVersion } from './version.js';

/** Name and version the server reports in `initialize`. */
export const SERVER_INFO: { readonly name: string; readonly version: string } = {
  name: 'memnex',
  version: packageVersion(),
};

/** Options of {@link createMcpServer}. */
export interface CreateMcpServerOptions {
  /** The engine, initialised by the caller. */
  memnex: Memnex;
  /** The verified key the session acts with; every engine call uses its tenant and scopes. */
  auth: McpAuth;
  /** Where the session logs; silent by default. Never stdout under stdio. */
  logger?: Logger;
}

/**
 * Build one session's MCP server: the tools, resources (with subscriptions) and prompts of Memnex,
 * bound to one tenant and key. Connect it to a transport; closing it (or its transport) drops the
 * session's subscriptions. The server's `server.onclose` is used for that cleanup: wrap it rather
 * than replace it.
 */
export function createMcpServer(options: CreateMcpServerOptions): McpServer {
  const logger = (options.logger ?? silentLogger).child({
    tenantId: options.auth.tenantId,
    keyId: options.auth.keyId,
  });
  const session: SessionContext = { memnex: options.memnex, auth: options.auth, logger };
  const server = new McpServer(SERVER_INFO, {
    capabilities: {
      resources: { subscribe: true, listChanged: false },
      prompts: { listChanged: false },
    },
    instructions:
      'Memnex gives you permanent memory of the people you talk to, across channels. Call memory_read ' +
      'once at the start of each turn, memory_write once per settled sub-intent with structured facts, ' +
      'and memory_trace on drafts that state facts about the person. Prompts memory-writer, ' +
      'memory-reader and hallucination-check explain more. Agents of a team share live values ' +
      'with state_get and state_set (compare-and-set with if_version), and subscribe to ' +
      'memnex://state/{key} to hear of changes.',
  });
  installToolHandlers(server, session);
  const dropSubscriptions = installResources(server, session);
  installPrompts(server);
  server.server.onclose = () => {
    dropSubscriptions();
    logger.debug('mcp session closed');
  };
  return server;
}
