import {
  exportDocumentSchema,
  exportInputSchema,
  forgetInputSchema,
  forgetReceiptSchema,
  LIMITS,
  readInputSchema,
  readResultSchema,
  revealInputSchema,
  revealResultSchema,
  searchInputSchema,
  searchResultSchema,
  timelineInputSchema,
  timelineResultSchema,
  traceInputSchema,
  traceResultSchema,
  writeInputSchema,
  writeResultSchema,
} from '@memnex/core/wire';
import { defineRoute } from '../route.js';
import { idempotencyKeyOf, userCallOf } from './person.js';

const CHANNEL_HEADER = {
  name: 'X-Memnex-Channel',
  description: "Channel of the conversation; defaults to the key's default channel.",
};

export const memoryWrite = defineRoute({
  method: 'post',
  path: '/v1/memory/write',
  operationId: 'memoryWrite',
  summary: 'Write facts and messages about a user',
  description:
    'Store structured facts (intent, preference, issue, resolution, profile) and verbatim messages. ' +
    'Or send `rawText` (a transcript, a chat export, an email, or a message list): it is cleaned for ' +
    'the channel, stored as messages, and the facts found in it are written like given ones ' +
    '(`extraction` says how). ' +
    'Every item comes back as written, deduplicated or rejected with a reason; older facts in the ' +
    'same slot are superseded. Replaying a write with the same idempotency key returns the first ' +
    `result. Send at most ${LIMITS.factsPerWrite} facts and ${LIMITS.messagesPerWrite} messages.`,
  tag: 'memory',
  scope: 'memory:write',
  body: writeInputSchema,
  headers: [
    CHANNEL_HEADER,
    { name: 'Idempotency-Key', description: 'Same as the body field `idempotencyKey`.' },
  ],
  response: writeResultSchema,
  async handle(request) {
    const { body, caller, memnex } = request;
    const idempotencyKey = idempotencyKeyOf(request, body.idempotencyKey);
    const channel = body.source?.channel ?? caller.channel ?? undefined;
    return memnex.write({
      ...(await userCallOf(request)),
      ...(channel ? { source: { ...body.source, channel } } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  },
});

export const memoryRead = defineRoute({
  method: 'post',
  path: '/v1/memory/read',
  operationId: 'memoryRead',
  summary: "Read a user's context for the next turn",
  description:
    "The user's current memories, ranked and packed under a token budget in the format of the " +
    'channel (voice, whatsapp, web, sms, app). Served from the hot cache when warm.',
  tag: 'memory',
  scope: 'memory:read',
  body: readInputSchema,
  headers: [CHANNEL_HEADER],
  response: readResultSchema,
  async handle(request) {
    const { channel } = request.caller;
    return request.memnex.read({ ...(await userCallOf(request)), ...(channel ? { channel } : {}) });
  },
});

export const memorySearch = defineRoute({
  method: 'post',
  path: '/v1/memory/search',
  operationId: 'memorySearch',
  summary: "Search a user's memories",
  description: 'Hybrid lexical and vector search, best first, with the rank from each list.',
  tag: 'memory',
  scope: 'memory:read',
  body: searchInputSchema,
  response: searchResultSchema,
  handle: async (request) => request.memnex.search(await userCallOf(request)),
});

export const memoryTrace = defineRoute({
  method: 'post',
  path: '/v1/memory/trace',
  operationId: 'memoryTrace',
  summary: 'Check a draft reply against what is remembered',
  description:
    "Which claims of a draft reply the user's memories support, and which look like hallucinations.",
  tag: 'memory',
  scope: 'memory:read',
  body: traceInputSchema,
  response: traceResultSchema,
  handle: async (request) => request.memnex.trace(await userCallOf(request)),
});

export const memoryForget = defineRoute({
  method: 'post',
  path: '/v1/memory/forget',
  operationId: 'memoryForget',
  summary: 'Forget a user, or some of their memories',
  description:
    'Delete the user (or the listed memories) from every store and return a signed receipt, ' +
    'recorded in the audit ledger.',
  tag: 'memory',
  scope: 'memory:forget',
  body: forgetInputSchema,
  response: forgetReceiptSchema,
  handle: async (request) => request.memnex.forget(await userCallOf(request)),
});

export const memoryExport = defineRoute({
  method: 'post',
  path: '/v1/memory/export',
  operationId: 'memoryExport',
  summary: 'Export everything held about a user',
  description: 'Every memory with its history and every identifier, as a portable document.',
  tag: 'memory',
  scope: 'memory:read',
  body: exportInputSchema,
  response: exportDocumentSchema,
  handle: async (request) => request.memnex.export(await userCallOf(request)),
});

export const memoryTimeline = defineRoute({
  method: 'post',
  path: '/v1/memory/timeline',
  operationId: 'memoryTimeline',
  summary: "A user's memories over time",
  description: 'Facts learnt, superseded, resolved and expired, oldest first.',
  tag: 'memory',
  scope: 'memory:read',
  body: timelineInputSchema,
  response: timelineResultSchema,
  handle: async (request) => request.memnex.timeline(await userCallOf(request)),
});

export const memoryReveal = defineRoute({
  method: 'post',
  path: '/v1/memory/reveal',
  operationId: 'memoryReveal',
  summary: 'Reveal encrypted PII of some memories',
  description:
    'Decrypt PII masked with the `encrypt` strategy. Every reveal is written to the audit ledger ' +
    'with the memory ids and the reason, never the revealed text.',
  tag: 'memory',
  scope: 'pii:reveal',
  body: revealInputSchema,
  response: revealResultSchema,
  handle: async (request) =>
    request.memnex.privacy.reveal({
      ...(await userCallOf(request)),
      callerScopes: request.caller.scopes,
    }),
});

/** The memory routes, in the order the docs list them. */
export const MEMORY_ROUTES = [
  memoryWrite,
  memoryRead,
  memorySearch,
  memoryTrace,
  memoryForget,
  memoryExport,
  memoryTimeline,
  memoryReveal,
];
