import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ToolErrorCode } from './errors.js';

/** JSON-RPC error codes the HTTP edge answers with (no request id is known yet). */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  serverError: -32000,
  sessionNotFound: -32001,
} as const;

/** An HTTP failure answered with a JSON-RPC error body. */
export interface HttpFailure {
  status: number;
  rpcCode: number;
  /** Stable Memnex code, also in `error.data.code`. */
  code: ToolErrorCode;
  message: string;
  headers?: Record<string, string>;
}

/** Write `failure` as `{jsonrpc, error: {code, message, data: {code, message}}, id: null}`. */
export function sendFailure(response: ServerResponse, failure: HttpFailure): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: {
      code: failure.rpcCode,
      message: `${failure.code}: ${failure.message}`,
      data: { code: failure.code, message: failure.message },
    },
    id: null,
  });
  response.writeHead(failure.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...failure.headers,
  });
  response.end(body);
}

/** The key of `Authorization: Bearer <key>`, or null when the header is missing or not Bearer. */
export function bearerKeyOf(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/iu.exec(header);
  return match ? match[1]! : null;
}

/** The first value of a request header. */
export function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}

/**
 * DNS-rebinding protection: the Host header, and the Origin header when present, must name an
 * allowed host. `allowed` holds lower-case entries; one matches a full `host:port` or just the
 * hostname.
 */
export function hostIsAllowed(request: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const matches = (host: string) =>
    allowed.has(host.toLowerCase()) || allowed.has(hostnameOf(host).toLowerCase());
  const host = headerOf(request, 'host');
  if (!host || !matches(host)) return false;
  const origin = headerOf(request, 'origin');
  if (origin === undefined) return true;
  try {
    return matches(new URL(origin).host);
  } catch {
    return false;
  }
}

/**
 * The body as text, or `tooLarge` once more than `maxBytes` arrived (or were announced). The rest
 * of a too-large body is discarded; answer with `Connection: close`.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
): Promise<{ tooLarge: true } | { tooLarge: false; text: string }> {
  if (Number(request.headers['content-length']) > maxBytes) {
    request.resume();
    return Promise.resolve({ tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += buffer.length;
      if (received > maxBytes) {
        finish();
        request.resume();
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      finish();
      resolve({ tooLarge: false, text: Buffer.concat(chunks).toString('utf8') });
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
