import { defineScript } from './lua-script.js';

/*
 * Scripts of the state store. Every key a script touches is in KEYS and carries the tenant's hash
 * tag, so they run unchanged on Redis Cluster.
 *
 * An entry hash holds `version`, `deleted` ('1' for a tombstone, which keeps only the version and
 * who deleted it) and, for a value, `value` (JSON text, never decoded here), `updatedAt`,
 * `updatedBy`, `expiresAt` (ISO text or '') and `expiresAtMs` (epoch ms or ''). A history member
 * is `<updatedAt epoch ms> <change JSON>`, scored by version; the time prefix lets `trimHistory`
 * compare times without decoding JSON.
 */

/** Shared Lua: keep the `keep` newest members of a history (`keep` < 0: all of them). */
const TRIM_TO_LIMIT = `
local function trimToLimit(history, keep)
  if keep < 0 then return end
  local excess = redis.call('ZCARD', history) - keep
  if excess > 0 then redis.call('ZREMRANGEBYRANK', history, 0, excess - 1) end
end
`;

/**
 * Write a value with version + 1, after the schema-revision and compare-and-set checks.
 * KEYS: entry, history, index, expiring, revision.
 * ARGV: key (index member), ifVersion ('' for none), schema revision, `at` ms, value JSON,
 * updatedAt, updatedBy, expiresAt ('' for none), expiresAt ms ('' for none), history size to keep
 * (-1: no cap), change head (history member up to the value), change tail (after the version).
 * Returns {1, version, index was empty (0/1), expiring was empty and now is not (0/1)},
 * {0, current version} on a conflict, or {-1, revision} when the schemas changed.
 */
export const SET_VALUE = defineScript(`${TRIM_TO_LIMIT}
local revision = tonumber(redis.call('GET', KEYS[5]) or '0')
if revision ~= tonumber(ARGV[3]) then return {-1, revision} end
local state = redis.call('HMGET', KEYS[1], 'version', 'deleted', 'expiresAtMs')
local version = tonumber(state[1] or '0')
local at = tonumber(ARGV[4])
local live = state[1] and state[2] ~= '1' and (not state[3] or state[3] == '' or tonumber(state[3]) > at)
if ARGV[2] ~= '' then
  local expected = tonumber(ARGV[2])
  local matches
  if expected == 0 then matches = not live else matches = live and version == expected end
  if not matches then
    if live then return {0, version} end
    return {0, 0}
  end
end
local nextVersion = string.format('%d', version + 1)
redis.call('HSET', KEYS[1], 'version', nextVersion, 'deleted', '0', 'value', ARGV[5],
  'updatedAt', ARGV[6], 'updatedBy', ARGV[7], 'expiresAt', ARGV[8], 'expiresAtMs', ARGV[9])
redis.call('ZADD', KEYS[2], nextVersion, ARGV[11] .. ARGV[5] .. ',"version":' .. nextVersion .. ARGV[12])
trimToLimit(KEYS[2], tonumber(ARGV[10]))
local firstKey = 0
if redis.call('ZCARD', KEYS[3]) == 0 then firstKey = 1 end
redis.call('ZADD', KEYS[3], 0, ARGV[1])
local firstExpiring = 0
if ARGV[9] ~= '' then
  if redis.call('ZCARD', KEYS[4]) == 0 then firstExpiring = 1 end
  redis.call('ZADD', KEYS[4], ARGV[9], ARGV[1])
else
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return {1, version + 1, firstKey, firstExpiring}
`);

/**
 * Delete a value (expired or not), leaving a tombstone with version + 1.
 * KEYS: entry, history, expiring.
 * ARGV: key (index member), ifVersion ('' for none), `at` ms, updatedAt, updatedBy, history size
 * to keep (-1: no cap), change head (history member up to the version), change tail.
 * Returns {1, version}, {1, 0} when there was no value, or {0, current version} on a conflict.
 */
export const DELETE_VALUE = defineScript(`${TRIM_TO_LIMIT}
local state = redis.call('HMGET', KEYS[1], 'version', 'deleted', 'expiresAtMs')
local version = tonumber(state[1] or '0')
local present = state[1] and state[2] ~= '1'
if ARGV[2] ~= '' and (not present or version ~= tonumber(ARGV[2])) then
  local at = tonumber(ARGV[3])
  if present and (not state[3] or state[3] == '' or tonumber(state[3]) > at) then
    return {0, version}
  end
  return {0, 0}
end
if not present then return {1, 0} end
local nextVersion = string.format('%d', version + 1)
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'version', nextVersion, 'deleted', '1', 'updatedAt', ARGV[4],
  'updatedBy', ARGV[5])
redis.call('ZADD', KEYS[2], nextVersion, ARGV[7] .. nextVersion .. ARGV[8])
trimToLimit(KEYS[2], tonumber(ARGV[6]))
redis.call('ZREM', KEYS[3], ARGV[1])
return {1, version + 1}
`);

/**
 * Drop the history entries older than a time from some keys' histories, the newest of each
 * excepted. KEYS: histories of one tenant. ARGV: the time in epoch ms.
 * Returns the number of entries dropped.
 */
export const TRIM_HISTORY = defineScript(`
local before = tonumber(ARGV[1])
local dropped = 0
for _, history in ipairs(KEYS) do
  for _, member in ipairs(redis.call('ZRANGE', history, 0, -2)) do
    local time = tonumber(string.match(member, '^(%S+) '))
    if time and time < before then
      redis.call('ZREM', history, member)
      dropped = dropped + 1
    end
  end
end
return dropped
`);

/**
 * Remove a pattern's schema, bumping the revision when there was one.
 * KEYS: schemas, revision. ARGV: the pattern's field.
 * Returns {1, revision} when removed, {0, revision} otherwise.
 */
export const DELETE_SCHEMA = defineScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, tonumber(redis.call('GET', KEYS[2]) or '0')}
`);

/**
 * Remove some keys of a tenant: their entries and histories, and their index and expiry members.
 * KEYS: index, expiring, then the n entries, then the n histories. ARGV: the n index members.
 */
export const DROP_KEYS = defineScript(`
redis.call('DEL', unpack(KEYS, 3))
redis.call('ZREM', KEYS[1], unpack(ARGV))
redis.call('ZREM', KEYS[2], unpack(ARGV))
return #ARGV
`);

/**
 * Finish dropping a tenant once its index is empty. KEYS: index, expiring, revision, schemas.
 * Returns 1 when done, 0 when keys were written meanwhile (drop them first, then retry).
 */
export const DROP_TENANT = defineScript(`
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
`);
