/** One request as the fake fetch received it. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** The full URL. */
  url: string;
  /** Path of the URL, e.g. `/v1/memory/write`. */
  path: string;
  /** Query parameters. */
  query: Record<string, string>;
  /** Headers as sent. */
  headers: Headers;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The signal the client passed. */
  signal: AbortSignal | undefined;
}

/** What the fake does for one request: answer, fail like a dropped connection, or compute. */
export type FakeAnswer =
  Response | Error | ((request: RecordedRequest) => Response | Promise<Response>);

/** A fetch stand-in and the requests it saw. */
export interface FakeFetch {
  /** Pass as the client's `fetch` option. */
  fetch: typeof globalThis.fetch;
  /** Every request received, in order. */
  requests: RecordedRequest[];
}

/**
 * A fetch that answers the n-th request with the n-th answer, repeating the last one; with no
 * answers it replies `200 {}`.
 */
export function createFakeFetch(...answers: FakeAnswer[]): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url: url.href,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: new Headers(init?.headers),
      body: text === undefined ? undefined : JSON.parse(text),
      signal: init?.signal ?? undefined,
    };
    const answer = answers[Math.min(requests.length, answers.length - 1)] ?? jsonResponse(200, {});
    requests.push(request);
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer.clone();
    return answer(request);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_test', ...headers },
  });
}

/** A Memnex error response: `{error: {code, message, details?}}`. */
export function errorResponse(
  status: number,
  code: string,
  options: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const error = { code, message: `${code.toLowerCase()} happened`, details: options.details };
  return jsonResponse(status, { error }, options.headers);
}

/** An answer that never settles until the request's signal aborts, like a stalled server. */
export function stalledResponse(request: RecordedRequest): Promise<Response> {
  return new Promise((_resolve, reject) => {
    const signal = request.signal;
    if (signal === undefined) return;
    const fail = () => reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
