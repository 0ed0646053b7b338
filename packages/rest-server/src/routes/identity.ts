import { MemnexError, pinnedElsewhere } from '@memnex/core';
import {
  identifierInputSchema,
  linkInputSchema,
  linkResultSchema,
  mergeInputSchema,
  mergeReceiptSchema,
  resolvedUserSchema,
  unlinkResultSchema,
  unmergeInputSchema,
  unmergeReceiptSchema,
} from '@memnex/core/wire';
import { defineRoute } from '../route.js';
import { callOf, userCallOf, userOf } from './person.js';

export const identifierResolve = defineRoute({
  method: 'post',
  path: '/v1/identifiers/resolve',
  operationId: 'identifierResolve',
  summary: 'Find the user a channel identifier belongs to',
  description:
    'Normalises the identifier (phone numbers to E.164, WhatsApp ids, e-mail addresses) and ' +
    'answers the user it is linked to; `NOT_FOUND` when it belongs to no one.',
  tag: 'identity',
  scope: 'memory:read',
  body: identifierInputSchema,
  response: resolvedUserSchema,
  async handle(request) {
    const { body, caller, memnex } = request;
    const owner = await memnex.identifiers.resolve({ ...body, ...callOf(caller) });
    if (!owner) throw MemnexError.notFound('identifier');
    // A pinned key learns nothing about identifiers of other users.
    if (caller.pinnedUserId && owner.userId !== caller.pinnedUserId) throw pinnedElsewhere();
    return owner;
  },
});

export const identifierLink = defineRoute({
  method: 'post',
  path: '/v1/identifiers/link',
  operationId: 'identifierLink',
  summary: 'Link a channel identifier to a user',
  description:
    'The user is created when absent. `CONFLICT` when the identifier belongs to another user ' +
    '(merge the two users instead).',
  tag: 'identity',
  scope: 'memory:write',
  body: linkInputSchema,
  response: linkResultSchema,
  handle: async (request) => request.memnex.identifiers.link(await userCallOf(request)),
});

export const identifierUnlink = defineRoute({
  method: 'post',
  path: '/v1/identifiers/unlink',
  operationId: 'identifierUnlink',
  summary: 'Remove the link of a channel identifier',
  description: 'Answers whether a link existed; the user and their memories stay.',
  tag: 'identity',
  scope: 'memory:write',
  body: identifierInputSchema,
  response: unlinkResultSchema,
  async handle(request) {
    const { body, caller, memnex } = request;
    if (caller.pinnedUserId) await userOf(request, { identifier: body.identifier });
    return memnex.identifiers.unlink({ ...body, ...callOf(caller) });
  },
});

export const userMerge = defineRoute({
  method: 'post',
  path: '/v1/users/merge',
  operationId: 'userMerge',
  summary: 'Merge two records of one person',
  description:
    "Move `from`'s memories, identifiers and vectors to `into`; `from` becomes an alias. " +
    'Returns a signed receipt; undo with unmerge.',
  tag: 'identity',
  scope: 'memory:write',
  tenantWide: true,
  body: mergeInputSchema,
  response: mergeReceiptSchema,
  handle: ({ body, caller, memnex }) => memnex.users.merge({ ...body, ...callOf(caller) }),
});

export const userUnmerge = defineRoute({
  method: 'post',
  path: '/v1/users/unmerge',
  operationId: 'userUnmerge',
  summary: 'Undo a merge',
  description: 'Give a merged-away user back what the merge moved; signed receipt.',
  tag: 'identity',
  scope: 'memory:write',
  tenantWide: true,
  body: unmergeInputSchema,
  response: unmergeReceiptSchema,
  handle: ({ body, caller, memnex }) => memnex.users.unmerge({ ...body, ...callOf(caller) }),
});

export const IDENTITY_ROUTES = [
  identifierResolve,
  identifierLink,
  identifierUnlink,
  userMerge,
  userUnmerge,
];
