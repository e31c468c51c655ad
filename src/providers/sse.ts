import { errorBodyFailure, guardStream, requestIdOf, streamDisconnected, type SdkErrorClasses, type StreamMapper } from './errors.js';
import { ProviderError, type ModelEvent } from './types.js';

// Server-sent events read from a response body in one linear pass. The SDKs' own readers copy
// the unread buffer after every event, which is quadratic in the events per network chunk and
// dominated streaming cost (profiled at ~0.5 s of CPU for 20,000 deltas); requests, auth and
// HTTP errors still go through the SDKs. Each read is scanned once: a line that spans reads is
// kept as its pieces and joined once, at its end (re-scanning the unread text on every read took
// 33 s of CPU for one 50 MB event).
export interface SseMessage {
  event: string | null;
  data: string;
}

/** Text kept of a body that is not an event stream: enough for a JSON error or an HTML title. */
const STRAY_LIMIT = 64 * 1024;

/** Folds lines into messages: `event:` and `data:` fields, a blank line ends a message. */
class SseFields {
  private event: string | null = null;
  private data: string[] = [];
  sawMessages = false;
  /** Lines that are no SSE field, seen before any message: what came instead of a stream. */
  readonly stray: string[] = [];
  private strayLength = 0;

  line(line: string, out: SseMessage[]): void {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') this.flush(out);
    else if (line.startsWith('data:')) this.data.push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
    else if (line.startsWith('event:')) this.event = line.slice(line.charCodeAt(6) === 32 ? 7 : 6);
    // Comments (":…"), `id:` and `retry:` carry nothing the adapters use.
    else if (!this.sawMessages && !line.startsWith(':') && !line.startsWith('id:') && !line.startsWith('retry:') && this.strayLength < STRAY_LIMIT) {
      this.stray.push(line);
      this.strayLength += line.length + 1;
    }
  }

  unfinished(line: string): void {
    if (!this.sawMessages && this.strayLength < STRAY_LIMIT) this.stray.push(line);
  }

  flush(out: SseMessage[]): void {
    if (this.event !== null || this.data.length > 0) {
      out.push({ event: this.event, data: this.data.join('\n') });
      this.sawMessages = true;
    }
    this.event = null;
    this.data = [];
  }
}

/**
 * The messages of each network read, as one array. A body with no message at all returns the
 * lines that came instead (up to 64 KiB): what the server sent in place of a stream.
 */
export async function* readSse(body: ReadableStream<Uint8Array> | null): AsyncGenerator<SseMessage[], string[]> {
  if (body === null) return [];
  const decoder = new TextDecoder();
  const fields = new SseFields();
  /** The current line's text from earlier reads. */
  let pending: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      const messages: SseMessage[] = [];
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const piece = text.slice(start, end);
        start = end + 1;
        if (pending.length === 0) fields.line(piece, messages);
        else {
          pending.push(piece);
          fields.line(pending.join(''), messages);
          pending = [];
        }
      }
      if (start < text.length) pending.push(text.slice(start));
      if (messages.length > 0) yield messages;
      if (done) break;
    }
    // An unfinished last line is no event (the SSE rule), but it may end what came instead of a stream.
    if (pending.length > 0) fields.unfinished(pending.join(''));
    const last: SseMessage[] = [];
    fields.flush(last);
    if (last.length > 0) yield last;
    return fields.sawMessages ? [] : fields.stray;
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/**
 * The JSON payloads of an SSE body, as the SDK streams would yield them: `[DONE]` ends the stream,
 * and `failure` turns an event the provider reports as an error into the error to throw.
 */
export async function* sseJson<T>(response: Response, failure: (message: SseMessage, data: unknown) => Error | null): AsyncGenerator<T[]> {
  const reads = readSse(response.body);
  try {
    for (let read = await reads.next(); ; read = await reads.next()) {
      if (read.done) {
        // No event at all: a JSON error or an HTML page sent as an event stream says what it is.
        const instead = read.value.length > 0 ? notAStream(read.value.join('\n'), response) : null;
        if (instead !== null) throw instead;
        return;
      }
      const batch: T[] = [];
      for (const message of read.value) {
        if (message.data.startsWith('[DONE]')) {
          if (batch.length > 0) yield batch;
          return;
        }
        if (message.event === 'ping') continue;
        const data: unknown = JSON.parse(message.data);
        const error = failure(message, data);
        if (error !== null) {
          if (batch.length > 0) yield batch;
          throw error;
        }
        batch.push(data as T);
      }
      if (batch.length > 0) yield batch;
    }
  } finally {
    // As `for await` would: leaving early releases the body.
    await reads.return([]);
  }
}

/** What every SSE adapter sends: an SDK request whose raw response we read ourselves. */
export interface SseModelStream<Chunk> {
  signal: AbortSignal;
  errors: SdkErrorClasses;
  send(): { asResponse(): Promise<Response> };
  /** How this wire reports an error inside the stream. */
  streamError(errors: SdkErrorClasses, response: Response): (message: SseMessage, data: unknown) => Error | null;
  rateLimits(headers: Headers): ModelEvent | null;
  mapper: StreamMapper<Chunk>;
}

export function sseModelStream<Chunk>(options: SseModelStream<Chunk>): AsyncGenerator<ModelEvent[]> {
  const { signal, errors, mapper } = options;
  return guardStream({
    signal,
    errors,
    open: async () => {
      const response = await options.send().asResponse();
      const instead = isJson(response) ? await jsonInsteadOfEvents(response) : isHtml(response) ? htmlInsteadOfEvents(await response.text(), response.status) : null;
      if (instead !== null) {
        if (instead instanceof ProviderError) instead.requestId ??= requestIdOf(response.headers);
        throw instead;
      }
      return { response, data: sseJson<Chunk>(response, options.streamError(errors, response)) };
    },
    headerEvents: (headers) => {
      const event = options.rateLimits(headers);
      return event === null ? [] : [event];
    },
    mapper,
  });
}

const isJson = (response: Response) => /\bjson\b/i.test(response.headers.get('content-type') ?? '');
const isHtml = (response: Response) => /\bhtml\b/i.test(response.headers.get('content-type') ?? '');
const looksHtml = (body: string) => /^\s*(<!doctype html|<html[\s>])/i.test(body);

/**
 * What a body that holds no event was, when it can tell: the error a JSON body carries, or an HTML
 * page by its title (never retried: the server answered on purpose). Null for anything else,
 * which stays a cut stream.
 */
function notAStream(body: string, response: Response): ProviderError | null {
  if (looksHtml(body)) return htmlInsteadOfEvents(body, response.status);
  try {
    return errorBodyFailure(JSON.parse(body), response.headers);
  } catch {
    return null;
  }
}

function htmlInsteadOfEvents(body: string, status: number): ProviderError {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.replace(/\s+/g, ' ').trim().slice(0, 200) ?? '';
  const message = `the provider answered with an HTML page, not a stream (status ${status})${title === '' ? '' : `: ${title}`}`;
  return new ProviderError(message, 'other', { httpStatus: status, retryable: false });
}

/**
 * A successful answer that is JSON, not an event stream: the error it carries (some gateways
 * answer 200 with `{"error": …}`), else a disconnect that says what came instead.
 */
async function jsonInsteadOfEvents(response: Response): Promise<Error> {
  const body = await response.text();
  try {
    const failure = errorBodyFailure(JSON.parse(body), response.headers);
    if (failure !== null) return failure;
  } catch {
    // Not even JSON: a disconnect, as below.
  }
  return streamDisconnected(`the provider answered ${response.status} with ${response.headers.get('content-type')}, not an event stream`);
}
