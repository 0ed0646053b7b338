import { MemnexError } from '@memnex/core';
import {
  STATE_LIMITS,
  stateEntrySchema,
  stateSetInputSchema,
  type StateEntry,
} from '@memnex/core/wire';
import { z } from 'zod';
import { stateCallOf } from '../auth.js';
import { defineTool } from './tool.js';

// The engine checks the key's characters; the published schema keeps to a length so that clients
// whose regex engines lack Unicode classes can still load it.
const keyInput = z.string().min(1).max(STATE_LIMITS.keyLength).meta({
  description:
    'The key, e.g. "plan:goal" or "team/alpha/tasks:3": letters, digits and _ : / . - @ + = ~ # ! $ % & (no spaces).',
});

const setShape = stateSetInputSchema.shape;

// The entry's own fields, without its schema id (an id would move it under $defs).
const entryOutput = z.object(stateEntrySchema.shape);

const lookupOutput = z.object({
  key: z.string(),
  found: z
    .boolean()
    .meta({ description: 'False when the key has no value (never set, deleted or expired).' }),
  value: z.unknown().meta({ description: 'The JSON value; null when found is false.' }),
  version: z.number().int().min(0).meta({
    description:
      'Version of the value, +1 on every change; 0 when the key has no value. Pass it as if_version to state_set to compare-and-set.',
  }),
  updatedAt: z.string().optional().meta({ description: 'Time of the last change (ISO 8601).' }),
  updatedBy: z.string().optional().meta({ description: 'Id of the API key that changed it.' }),
  expiresAt: z.string().nullable().optional().meta({ description: 'When the value expires.' }),
});

/** What `state_get` and the `memnex://state/{key}` resource answer for a key. */
export type StateLookup = z.input<typeof lookupOutput>;

/** A key's value, or `found: false` with version 0 (what `if_version` expects) when it has none. */
export function stateLookupOf(key: string, entry: StateEntry | null): StateLookup {
  return entry ? { found: true, ...entry } : { key, found: false, value: null, version: 0 };
}

/**
 * Engine errors reworded for an agent: a CAS conflict says how to retry. (A value refused by the
 * key's JSON Schema already comes with every error at its JSON pointer.)
 */
function forAgent(error: unknown): unknown {
  if (!MemnexError.isInstance(error)) return error;
  const details = error.details ?? {};
  if (error.code === 'CONFLICT' && typeof details.currentVersion === 'number') {
    const what =
      details.expectedVersion === 0
        ? 'it already has a value'
        : details.currentVersion === 0
          ? 'its value was deleted or expired'
          : 'it changed since you read it';
    return new MemnexError({
      code: 'CONFLICT',
      message:
        `${error.message}: ${what}. Read it again with state_get, redo your change on what it ` +
        `holds now, and retry with if_version ${details.currentVersion}`,
      details,
      cause: error,
    });
  }
  return error;
}

/** `state_get`: read a value shared by the agents of a team. */
export const stateGet = defineTool({
  name: 'state_get',
  title: 'Read shared state',
  description:
    'Read a live JSON value that the agents of your team share under a key, e.g. the current plan, ' +
    "a task's status or who holds a lock. Read it before acting on it, and before changing a value " +
    'others may change too: the version you get is what state_set takes as if_version. A key without ' +
    'a value answers found: false and version 0 (not an error). Your key may read only the keys its ' +
    'state:read scopes cover (FORBIDDEN otherwise). To be told when a key changes, subscribe to the ' +
    'resource memnex://state/{key} (the key percent-encoded).',
  input: z.strictObject({ key: keyInput }),
  output: lookupOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run({ key }, { memnex, auth }) {
    return stateLookupOf(key, await memnex.state.get({ ...stateCallOf(auth), key }));
  },
  text(result) {
    const key = JSON.stringify(result.key);
    if (!result.found) return `${key} has no value (version 0).`;
    const expires = result.expiresAt ? `, expires ${result.expiresAt}` : '';
    return (
      `${key} is at version ${result.version} (updated ${result.updatedAt} by ` +
      `${result.updatedBy}${expires}): ${JSON.stringify(result.value)}`
    );
  },
});

/** `state_set`: write a value shared by the agents of a team, optionally compare-and-set. */
export const stateSet = defineTool({
  name: 'state_set',
  title: 'Write shared state',
  description:
    'Write a live JSON value under a key, shared with the other agents of your team (they may be ' +
    'subscribed to it); answers the stored entry with its new version. Without if_version the write ' +
    'replaces whatever is there. To change a value others may change too, compare-and-set: read it ' +
    'with state_get, compute the new value from it, and call state_set with if_version set to the ' +
    'version you read. If someone wrote in between, the call fails with CONFLICT and ' +
    'details.currentVersion: read again, redo the change and retry. if_version 0 writes only if the ' +
    'key has no value (create once, claim a lock). ttl_seconds makes the value expire (locks, ' +
    'heartbeats). A value that breaks the JSON Schema registered for the key fails with ' +
    'VALIDATION_FAILED, each problem located by a JSON pointer into the value. Your key may write ' +
    'only the keys its state:write scopes cover (FORBIDDEN otherwise).',
  input: z.strictObject({
    key: keyInput,
    value: z
      .unknown()
      .refine((value) => value !== undefined, 'is required')
      .meta({ description: 'Any JSON value (object, array, string, number, boolean or null).' }),
    if_version: setShape.ifVersion.meta({
      description:
        'Compare-and-set: write only if the key is still at this version (from state_get); 0 writes only if the key has no value.',
    }),
    ttl_seconds: setShape.ttlSeconds,
  }),
  output: entryOutput,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  async run({ key, value, if_version: ifVersion, ttl_seconds: ttlSeconds }, { memnex, auth }) {
    try {
      return await memnex.state.set({
        ...stateCallOf(auth),
        key,
        value,
        ...(ifVersion === undefined ? {} : { ifVersion }),
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
    } catch (error) {
      throw forAgent(error);
    }
  },
  text(entry) {
    const expires = entry.expiresAt ? `; expires ${entry.expiresAt}` : '';
    return `Set ${JSON.stringify(entry.key)}: now at version ${entry.version}${expires}.`;
  },
});
