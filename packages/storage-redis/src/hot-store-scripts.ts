import { defineScript } from './lua-script.js';

/**
 * Store a working set only while the generation is unchanged.
 * KEYS: generation, working set. ARGV: expected generation, JSON, TTL in ms (0: none).
 * Returns 1 when stored, 0 when the generation moved on.
 */
export const SET_WORKING_SET = defineScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
else
  redis.call('SET', KEYS[2], ARGV[2])
end
return 1
`);

/**
 * Drop a working set and advance the generation.
 * KEYS: generation, working set. ARGV: generation TTL in seconds.
 * Returns the number of working sets removed (0 or 1).
 */
export const INVALIDATE = defineScript(`
local removed = redis.call('DEL', KEYS[2])
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return removed
`);

/**
 * Point an identifier at a user and record it in the user's index, whose lifetime is stretched
 * to cover its longest-lived identifier (a permanent one makes it permanent).
 * KEYS: identifier, index of the user. ARGV: user id, identifier key, TTL in ms (0: none).
 * Returns the user id the identifier pointed to before, or nil.
 */
export const SET_IDENTIFIER = defineScript(`
local previous = redis.call('GET', KEYS[1])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
local existed = redis.call('EXISTS', KEYS[2]) == 1
redis.call('SADD', KEYS[2], ARGV[2])
if ttl == 0 then
  redis.call('PERSIST', KEYS[2])
elseif not existed then
  redis.call('PEXPIRE', KEYS[2], ttl)
else
  local remaining = redis.call('PTTL', KEYS[2])
  if remaining >= 0 and remaining < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
end
return previous
`);

/**
 * Delete an identifier. KEYS: identifier. Returns the user id it pointed to, or nil.
 */
export const DELETE_IDENTIFIER = defineScript(`
local previous = redis.call('GET', KEYS[1])
if previous then redis.call('DEL', KEYS[1]) end
return previous
`);

/**
 * Drop a user's working set and the identifiers that point to it, forget its index and advance
 * its generation. Every key a script touches must be declared, so the caller passes the
 * identifier keys it knows of; when the index holds others, nothing is changed and they are
 * returned for a retry that declares them.
 * KEYS: generation, working set, index, then one key per identifier.
 * ARGV: user id, generation TTL in seconds, then the identifier keys (unprefixed) in KEYS order.
 * Returns {1, removed} when done, or {0, missing identifier keys...}.
 */
export const FORGET_USER = defineScript(`
local declared = {}
for index = 3, #ARGV do declared[ARGV[index]] = true end
local missing = {0}
for _, member in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not declared[member] then missing[#missing + 1] = member end
end
if #missing > 1 then return missing end
local removed = redis.call('DEL', KEYS[2])
for index = 4, #KEYS do
  if redis.call('GET', KEYS[index]) == ARGV[1] then
    removed = removed + redis.call('DEL', KEYS[index])
  end
end
redis.call('DEL', KEYS[3])
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {1, removed}
`);
