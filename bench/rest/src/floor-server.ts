/**
 * The machine's floor: a bare node:http server (no framework, no auth, no validation, no metrics,
 * no logging) that does only the Redis round trips a request needs and answers as the real server
 * does. Run next to the real server in the same benchmark, it tells how much of a figure is the
 * machine (HTTP, loopback sockets, Redis, the load generator) and how much is Memnex.
 *
 * Run as a child process by {@link startFloorServer}: `floor-server.ts <redis-url> read <body-file>`
 * or `floor-server.ts <redis-url> set`. It prints `listening <port>` once ready.
 *
 * - `read`: per request, a rate-limit script, the identifier `GET` and the working set's stamp
 *   `GETRANGE` (the three round trips of a cached read), then the bytes of a real read answer.
 * - `set`: per `PUT /v1/state/values/:key`, one Lua script that bumps the version, stores the value
 *   and publishes the change; the change goes to this process's WebSocket subscribers at once and
 *   to the other processes' through Redis pub/sub. WebSockets at `/v1/state/ws` speak the part of
 *   the real protocol the benchmark uses (`subscribe` to one key, `ready`, `event`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const [redisUrl, mode, bodyFile] = process.argv.slice(2);
if (!redisUrl || (mode !== 'read' && mode !== 'set') || (mode === 'read' && !bodyFile)) {
  throw new Error('usage: floor-server.ts <redis-url> read <body-file> | set');
}
const PREFIX = 'memnex-floor:';
const CHANNEL = `${PREFIX}events`;
const redis = new Redis(redisUrl, { enableAutoPipelining: true });

const LIMIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
return n`;
const SET = `local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'updatedAt', ARGV[2])
local event = '{"origin":"' .. ARGV[4] .. '","key":' .. ARGV[3] .. ',"version":' .. version .. ',"value":' .. ARGV[1] .. '}'
redis.call('PUBLISH', KEYS[2], event)
return {version, event}`;
redis.defineCommand('floorLimit', { numberOfKeys: 1, lua: LIMIT });
redis.defineCommand('floorSet', { numberOfKeys: 2, lua: SET });
interface FloorCommands {
  floorLimit(key: string): Promise<number>;
  floorSet(
    entry: string,
    channel: string,
    value: string,
    at: string,
    key: string,
    origin: string,
  ): Promise<[number, string]>;
}
const scripts = redis as unknown as FloorCommands;

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function serveRead(answerBytes: Buffer, response: ServerResponse, input: string) {
  JSON.parse(input);
  await scripts.floorLimit(`${PREFIX}limit`);
  const userId = await redis.get(`${PREFIX}identifier`);
  await redis.getrange(`${PREFIX}ws:${userId}`, 0, 20);
  answer(response, 200, answerBytes);
}

const origin = randomUUID();
const subscribers = new Map<WebSocket, string>();

function deliver(key: string, version: number, event: string): void {
  for (const [socket, subscribed] of subscribers) {
    if (subscribed === key) {
      socket.send(
        `{"type":"event","subscriptionId":"s","event":{"key":${JSON.stringify(key)},"version":${version},"data":${event}}}`,
      );
    }
  }
}

async function serveSet(key: string, response: ServerResponse, input: string) {
  const { value } = JSON.parse(input) as { value: unknown };
  const valueJson = JSON.stringify(value);
  const quotedKey = JSON.stringify(key);
  const [version, event] = await scripts.floorSet(
    `${PREFIX}state:${key}`,
    CHANNEL,
    valueJson,
    new Date().toISOString(),
    quotedKey,
    origin,
  );
  deliver(key, version, event);
  answer(response, 200, `{"key":${quotedKey},"version":${version},"value":${valueJson}}`);
}

const answerBytes = mode === 'read' ? readFileSync(bodyFile!) : Buffer.alloc(0);
if (mode === 'read') {
  await redis.set(`${PREFIX}identifier`, 'u_floor');
  await redis.set(`${PREFIX}ws:u_floor`, answerBytes);
}
const server = createServer((request, response) => {
  void bodyOf(request)
    .then((input) => {
      if (mode === 'read') return serveRead(answerBytes, response, input);
      const key = decodeURIComponent(request.url!.replace(/^\/v1\/state\/values\//u, ''));
      return serveSet(key, response, input);
    })
    .catch((error: unknown) => answer(response, 500, JSON.stringify({ error: String(error) })));
});
if (mode === 'set') {
  const listener = redis.duplicate();
  await listener.subscribe(CHANNEL);
  listener.on('message', (_channel: string, message: string) => {
    const event = JSON.parse(message) as { origin: string; key: string; version: number };
    if (event.origin !== origin) deliver(event.key, event.version, message);
  });
  const sockets = new WebSocketServer({ server, path: '/v1/state/ws' });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; pattern: string };
      if (message.type !== 'subscribe') return;
      subscribers.set(socket, message.pattern);
      socket.send('{"type":"ready","subscriptionId":"s"}');
    });
    socket.on('close', () => subscribers.delete(socket));
  });
}
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
/** Stop, and take the floor's keys out of Redis. */
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void (async () => {
    for await (const keys of redis.scanStream({ match: `${PREFIX}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
    redis.disconnect();
    process.exit(0);
  })();
});
