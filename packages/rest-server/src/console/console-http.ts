import { MemnexError, parseInput } from '@memnex/core';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { jsonBody } from '../parse-request.js';
import type { ConsoleService, ConsoleSession } from './console-service.js';

/** What Hono keeps per console request. */
export interface ConsoleEnv {
  Variables: {
    requestId: string;
    /** The signed-in user; set for every route but status, sign-up and sign-in. */
    session: ConsoleSession;
  };
}

/** A console request's context. */
export type ConsoleContext = Context<ConsoleEnv>;

/** The request body, parsed with `schema`; `VALIDATION_FAILED` listing every issue. */
export async function bodyOf<Schema extends z.ZodType>(
  context: ConsoleContext,
  schema: Schema,
): Promise<z.output<Schema>> {
  return parseInput(schema, await jsonBody(context));
}

/** The query string, parsed with `schema`; issues are prefixed `query.`. */
export function queryOf<Schema extends z.ZodType>(
  context: ConsoleContext,
  schema: Schema,
): z.output<Schema> {
  return parseInput(schema, context.req.query(), 'query');
}

/** The engine call context of a session: its tenant (only ever the session's) and its actor. */
export function callOf(session: ConsoleSession): { tenantId: string; actor: string } {
  return { tenantId: session.account.tenantId, actor: session.actor };
}

/** `FORBIDDEN` unless the session's account is an owner. */
export function requireOwner(session: ConsoleSession): void {
  if (session.account.role !== 'owner') {
    throw new MemnexError({
      code: 'FORBIDDEN',
      message: 'this account may only look: ask an owner of the tenant',
      details: { role: session.account.role },
    });
  }
}

/** Registers a group of console routes on the console's API app. */
export type ConsoleRoutes = (api: Hono<ConsoleEnv>, service: ConsoleService) => void;
