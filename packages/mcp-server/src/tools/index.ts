import { identityLink } from './identity-link.js';
import { memoryForget } from './memory-forget.js';
import { memoryRead } from './memory-read.js';
import { memorySearch } from './memory-search.js';
import { memoryTrace } from './memory-trace.js';
import { memoryWrite } from './memory-write.js';
import { stateGet, stateSet } from './state.js';
import { type McpTool } from './tool.js';

/** Every tool of the Memnex MCP surface, in listing order. */
export const TOOLS: readonly McpTool[] = [
  memoryWrite,
  memoryRead,
  memorySearch,
  memoryTrace,
  memoryForget,
  identityLink,
  stateGet,
  stateSet,
];

export type { McpTool } from './tool.js';
