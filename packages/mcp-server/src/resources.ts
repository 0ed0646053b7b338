import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import { isCurrentMemory, pinnedElsewhere } from '@memnex/core';
import { callContextOf, requireScope, SCOPES, stateCallOf, type SessionContext } from './auth.js';
import { protocolErrorOf } from './errors.js';
import { factTypesMarkdown } from './fact-types.js';
import {
  FACT_TYPES_URI,
  STATE_TEMPLATE,
  stateKeyOfUri,
  TENANT_STATS_URI,
  USER_MEMORIES_TEMPLATE,
  userIdOfUri,
} from './resource-uris.js';
import { createStateSubscriptions } from './state-subscriptions.js';
import { createSubscriptions, type Topic } from './subscriptions.js';
import { stateLookupOf } from './tools/state.js';

function json(uri: string, value: unknown): ReadResourceResult {
  return {
    contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
  };
}

function notFound(uri: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Resource ${uri} not found`);
}

/** The user a memories URI names, after checking the session may read their memories. */
function userOfUri({ auth }: SessionContext, uri: string): string {
  const userId = userIdOfUri(uri);
  if (userId === null) throw notFound(uri);
  requireScope(auth, SCOPES.read);
  if (auth.pinnedUserId && auth.pinnedUserId !== userId) throw pinnedElsewhere();
  return userId;
}

/** Check that the session may read tenant-wide counts; a key pinned to one user may not. */
function requireStatsAccess({ auth }: SessionContext): void {
  requireScope(auth, SCOPES.read);
  if (auth.pinnedUserId) throw pinnedElsewhere();
}

/** Every current memory of a user: not cut by a token budget, history left out. */
async function userMemories(session: SessionContext, userId: string) {
  const { memnex, auth } = session;
  const document = await memnex.export({
    ...callContextOf(auth),
    user: { userId },
  });
  const now = memnex.now();
  const memories = document.memories.filter((memory) => isCurrentMemory(memory, now));
  return { userId, count: memories.length, memories };
}

/** What a subscription to `uri` follows, after checking access; throws for unknown URIs. */
function topicOf(session: SessionContext, uri: string): Topic {
  if (uri === FACT_TYPES_URI) return { kind: 'fact-types' };
  if (uri === TENANT_STATS_URI) {
    requireStatsAccess(session);
    return { kind: 'stats' };
  }
  return { kind: 'user', userId: userOfUri(session, uri) };
}

/**
 * Register the resources (`memnex://schema/fact-types`, `memnex://tenants/me/stats`, the templates
 * `memnex://users/{user_id}/memories` and `memnex://state/{key}`) and subscriptions to them.
 * Returns the function that drops every subscription; it runs when the session closes.
 */
export function installResources(server: McpServer, session: SessionContext): () => void {
  const { memnex, auth, logger } = session;
  const guard =
    <Args extends unknown[]>(read: (...args: Args) => Promise<ReadResourceResult>) =>
    async (...args: Args) => {
      try {
        return await read(...args);
      } catch (error) {
        throw protocolErrorOf(error, logger);
      }
    };

  server.registerResource(
    'fact-types',
    FACT_TYPES_URI,
    {
      title: 'Memnex fact-type taxonomy',
      description: 'The five fact types, their meaning, slots and conflict rules in this tenant.',
      mimeType: 'text/markdown',
    },
    guard(async (uri: URL) => {
      const tenant = await memnex.tenants.get({ tenantId: auth.tenantId });
      const text = factTypesMarkdown(tenant?.settings ?? {});
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    }),
  );

  server.registerResource(
    'tenant-stats',
    TENANT_STATS_URI,
    {
      title: 'Tenant statistics',
      description: 'Users and current memories by kind, type and channel; oldest and newest.',
      mimeType: 'application/json',
    },
    guard(async (uri: URL) => {
      requireStatsAccess(session);
      return json(uri.href, await memnex.tenants.stats({ tenantId: auth.tenantId }));
    }),
  );

  server.registerResource(
    'user-memories',
    new ResourceTemplate(USER_MEMORIES_TEMPLATE, { list: undefined }),
    {
      title: "A person's memories",
      description:
        'Every current memory of the user (not cut to a token budget). Subscribe to be told when they change.',
      mimeType: 'application/json',
    },
    guard(async (uri: URL) =>
      json(uri.href, await userMemories(session, userOfUri(session, uri.href))),
    ),
  );

  server.registerResource(
    'state',
    new ResourceTemplate(STATE_TEMPLATE, { list: undefined }),
    {
      title: 'A shared state value',
      description:
        'The live JSON value agents of your team share under a key (percent-encode the key: ' +
        'memnex://state/plan%3Agoal): {key, found, value, version, updatedAt, updatedBy, expiresAt}, ' +
        'or {key, found: false, value: null, version: 0} when the key has no value. Subscribe to be ' +
        'told on every change.',
      mimeType: 'application/json',
    },
    guard(async (uri: URL) => {
      const key = stateKeyOfUri(uri.href);
      if (key === null) throw notFound(uri.href);
      const entry = await memnex.state.get({ ...stateCallOf(auth), key });
      return json(uri.href, stateLookupOf(key, entry));
    }),
  );

  const notify = (uri: string) => server.server.sendResourceUpdated({ uri });
  const subscriptions = createSubscriptions(session, notify);
  const stateSubscriptions = createStateSubscriptions(session, notify);
  server.server.registerCapabilities({ resources: { subscribe: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    try {
      const key = stateKeyOfUri(uri);
      if (key === null) subscriptions.add(uri, topicOf(session, uri));
      else await stateSubscriptions.add(uri, key);
      return {};
    } catch (error) {
      throw protocolErrorOf(error, logger);
    }
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.remove(request.params.uri);
    stateSubscriptions.remove(request.params.uri);
    return {};
  });
  return () => {
    subscriptions.close();
    stateSubscriptions.close();
  };
}
