// A loopback model server for provider and e2e tests. Each route is scripted with the exact
// responses it must serve, in order; a call beyond the script gets a 500 and fails `assertDone`.
// SSE frames go out as separate writes, so the SDKs parse real chunked streams.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One server-sent event. `data` is JSON-encoded unless it is a string (e.g. `[DONE]`). */
export interface SseFrame {
  event?: string;
  data: unknown;
}

export type FakeResponse =
  | {
      sse: SseFrame[];
      status?: number;
      headers?: Record<string, string>;
      /** Destroy the socket after this many frames: a stream cut mid-answer. */
      cutAfter?: number;
      /** Write this many frames, then keep the connection open and silent until the client goes. */
      stallAfter?: number;
      /** Write `after` frames, then wait for `open` before writing the rest: a pause the test ends. */
      gate?: { after: number; open: Promise<unknown> };
      /** End the response cleanly after this many frames: a stream truncated before its completion event. */
      endAfter?: number;
      /** Wait this long before each frame (the server's own timer): a slow drip. */
      dripMs?: number;
      /** The client may stop reading mid-answer (its turn fails for another reason): a write it cut is no failure. */
      clientMayLeave?: boolean;
    }
  | { json: unknown; status?: number; headers?: Record<string, string> }
  /** These bytes as the whole body, as they are (e.g. garbage where SSE was expected). */
  | { raw: Uint8Array | string; status?: number; headers?: Record<string, string> }
  /** The response made from the request: a model that reads its input (e.g. a session id a tool returned). */
  | { respond: (call: RecordedCall) => Exclude<FakeResponse, { respond: unknown }> };

export interface RecordedCall {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
}

export interface FakeModelServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Appends responses to the route's script (matched on the path, query ignored). */
  script(path: string, responses: FakeResponse[]): void;
  /** Throws if a scripted response was never requested or an unscripted call came in. */
  assertDone(): void;
  /** Resolves with the `count`-th call (1-based) once it has come in (its body read). */
  waitForCall(count: number, timeoutMs?: number): Promise<RecordedCall>;
  /** Resolves once the client closed the `count`-th call's connection before its response ended. */
  waitForClientClose(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeModelServer(): Promise<FakeModelServer> {
  const scripts = new Map<string, FakeResponse[]>();
  const calls: RecordedCall[] = [];
  const failures: string[] = [];
  /** Per call (by index): settles when the client gave up on it before the response ended. */
  const clientCloses: Array<Promise<void>> = [];
  const callWaiters: Array<() => void> = [];

  const server = http.createServer({ noDelay: true }, (req, res) => {
    serve(req, res).catch((error: unknown) => {
      failures.push(`fake server failed on ${req.method} ${req.url}: ${String(error)}`);
      res.destroy();
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    clientCloses.push(new Promise((resolve) => res.once('close', () => !res.writableFinished && !cutByUs.has(res) && resolve())));
    calls.push({ method: req.method ?? '', path, headers: flatHeaders(req.headers), body: parseBody(raw) });
    for (const wake of callWaiters.splice(0)) wake();
    const scripted = scripts.get(path)?.shift();
    const response = scripted !== undefined && 'respond' in scripted ? scripted.respond(calls.at(-1)!) : scripted;
    if (!response) {
      failures.push(`unexpected call: ${req.method} ${path}`);
      writeJson(res, 500, { error: { message: `fake model server: unexpected call to ${path}`, type: 'server_error' } });
      return;
    }
    if ('json' in response) writeJson(res, response.status ?? 200, response.json, response.headers);
    else if ('raw' in response) writeRaw(res, response);
    else await writeSse(res, response);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    script(path, responses) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...responses]);
    },
    assertDone() {
      const problems = [...failures];
      for (const [path, left] of scripts) {
        if (left.length > 0) problems.push(`${left.length} scripted response(s) for ${path} never requested`);
      }
      if (problems.length > 0) throw new Error(`fake model server: ${problems.join('; ')}`);
    },
    waitForCall(count, timeoutMs = 5_000) {
      return within(timeoutMs, `call ${count} to the fake model server (${calls.length} so far)`, async () => {
        while (calls.length < count) await new Promise<void>((resolve) => callWaiters.push(resolve));
        return calls[count - 1]!;
      });
    },
    waitForClientClose(count, timeoutMs = 5_000) {
      return within(timeoutMs, `the client to close call ${count} early`, async () => {
        while (calls.length < count) await new Promise<void>((resolve) => callWaiters.push(resolve));
        await clientCloses[count - 1];
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function writeSse(res: http.ServerResponse, response: Extract<FakeResponse, { sse: unknown }>): Promise<void> {
  res.writeHead(response.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...response.headers,
  });
  res.flushHeaders();
  const count = response.cutAfter ?? response.stallAfter ?? response.endAfter ?? response.sse.length;
  for (const [index, frame] of response.sse.slice(0, count).entries()) {
    if (response.gate?.after === index) await response.gate.open;
    if (response.dripMs !== undefined) await new Promise((resolve) => setTimeout(resolve, response.dripMs));
    if (res.destroyed) return;
    const written = new Promise<void>((resolve, reject) => res.write(encodeFrame(frame), (error) => (error ? reject(error) : resolve())));
    if (response.clientMayLeave) await written.catch(() => res.destroy());
    else await written;
  }
  if (response.cutAfter !== undefined) {
    cutByUs.add(res);
    res.socket?.destroy();
  } else if (response.stallAfter !== undefined) {
    if (!res.destroyed) await new Promise<void>((resolve) => res.once('close', resolve));
  } else {
    res.end();
  }
}

/** Responses the fake cut itself: their close is not the client's doing. */
const cutByUs = new WeakSet<http.ServerResponse>();

async function within<T>(timeoutMs: number, what: string, wait: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`fake model server: timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([wait(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function encodeFrame({ event, data }: SseFrame): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

function writeRaw(res: http.ServerResponse, response: Extract<FakeResponse, { raw: unknown }>): void {
  res.writeHead(response.status ?? 200, { 'content-type': 'text/event-stream', ...response.headers });
  res.end(response.raw);
}

function writeJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
