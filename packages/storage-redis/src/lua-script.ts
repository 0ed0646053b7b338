import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script and its SHA-1, so it can be run by hash once the server has cached it. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Define a Lua script run atomically by the server. */
export function defineScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Run a script by hash, falling back to sending its source when the server does not know it yet
 * (first use, restart, `SCRIPT FLUSH`). Unlike `defineCommand`, this adds nothing to a client the
 * caller shares with us.
 */
export async function runScript(
  client: Redis,
  script: LuaScript,
  keys: Array<string | Buffer>,
  args: Array<string | Buffer | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}
