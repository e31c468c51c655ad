// The one place where SDK failures become `ProviderError`s, and the guard every wire adapter runs
// its SDK stream through: request failures by HTTP status, in-stream error events by their code,
// anything else mid-stream (a cut socket, a stream that stops early) as a disconnect. A caller's
// abort is never a ProviderError: it surfaces as the signal's reason (an `AbortError`).
//
// SDK classes are passed in rather than imported, so loading this module never loads an SDK.
import { ProviderError, type ModelEvent, type ProviderErrorKind } from './types.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes both the OpenAI and the Anthropic SDK export. */
export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
}

/** What the SDKs' `APIError` carries, across both SDKs (`errorCode` is Anthropic's). */
interface ApiErrorFields extends Error {
  status?: number;
  headers?: Headers;
  error?: unknown;
  code?: unknown;
  type?: unknown;
  errorCode?: unknown;
}

/** Normalises a wire stream, one chunk at a time. */
export interface StreamMapper<Chunk> {
  /** Events for one chunk; throws a ProviderError for an error the stream reports. */
  push(chunk: Chunk): ModelEvent[];
  /** True once the terminal event was seen: the guard stops reading. */
  readonly done: boolean;
  /** Events after the stream ended; throws responseStreamDisconnected if it ended too early. */
  finish(): ModelEvent[];
}

export interface GuardedStream<Chunk> {
  signal: AbortSignal;
  errors: SdkErrorClasses;
  /** Sends the request; resolves once the response headers are in. */
  open(): Promise<{ data: AsyncIterable<Chunk[]>; response: Response }>;
  /** Events from the response headers (rate limits), sent before the first chunk. */
  headerEvents(headers: Headers): ModelEvent[];
  mapper: StreamMapper<Chunk>;
}

export async function* guardStream<Chunk>(stream: GuardedStream<Chunk>): AsyncGenerator<ModelEvent[]> {
  const { signal, errors } = stream;
  signal.throwIfAborted();
  let opened: Awaited<ReturnType<GuardedStream<Chunk>['open']>>;
  try {
    opened = await stream.open();
  } catch (error) {
    throw requestFailure(error, errors, signal);
  }
  try {
    yield* readOpened(stream, opened);
  } catch (error) {
    // A failure mid-stream belongs to the request these headers answered.
    if (error instanceof ProviderError) error.requestId ??= requestIdOf(opened.response.headers);
    throw error;
  }
}

async function* readOpened<Chunk>(stream: GuardedStream<Chunk>, opened: { data: AsyncIterable<Chunk[]>; response: Response }): AsyncGenerator<ModelEvent[]> {
  const { signal, errors, mapper } = stream;
  const headerEvents = stream.headerEvents(opened.response.headers);
  if (headerEvents.length > 0) yield headerEvents;
  const chunks = opened.data[Symbol.asyncIterator]();
  try {
    while (!mapper.done) {
      let next: IteratorResult<Chunk[]>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw streamFailure(error, errors, signal);
      }
      if (next.done) break;
      const events: ModelEvent[] = [];
      for (const chunk of next.value) {
        if (mapper.done) break;
        for (const event of mapper.push(chunk)) events.push(event);
      }
      if (events.length > 0) yield events;
    }
  } finally {
    // Stops the HTTP stream when we leave early: a terminal event, an error, or the consumer quit.
    await chunks.return?.();
  }
  // The SDKs end their iterators quietly when the request is aborted.
  signal.throwIfAborted();
  const last = mapper.finish();
  if (last.length > 0) yield last;
}

export function streamDisconnected(detail: string): ProviderError {
  return new ProviderError(`stream disconnected before completion: ${detail}`, 'responseStreamDisconnected');
}

/** A failure before the response started: HTTP errors by status, transport errors. */
export function requestFailure(error: unknown, errors: SdkErrorClasses, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof ProviderError) return error;
  if (error instanceof errors.APIConnectionError) {
    return new ProviderError(error.message, 'httpConnectionFailed');
  }
  if (error instanceof errors.APIError) return fromApiError(error as ApiErrorFields);
  return error;
}

/** A failure while reading the stream: reported errors by their code, anything else a disconnect. */
function streamFailure(error: unknown, errors: SdkErrorClasses, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof ProviderError) return error;
  if (error instanceof errors.APIError && !(error instanceof errors.APIConnectionError)) {
    return fromApiError(error as ApiErrorFields);
  }
  return streamDisconnected(error instanceof Error ? error.message : String(error));
}

function fromApiError(error: ApiErrorFields): ProviderError {
  const body = asRecord(error.error);
  // Anthropic wraps its error: `{type: 'error', error: {type, message}}`.
  const inner = asRecord(body?.error) ?? body;
  const code = text(error.code) ?? text(error.errorCode) ?? text(inner?.code);
  const type = text(inner?.type) ?? text(error.type);
  // A numeric `code` in an in-stream error (OpenRouter) is the upstream HTTP status.
  const status = error.status ?? (typeof inner?.code === 'number' ? inner.code : undefined);
  const message = text(inner?.message) ?? error.message;
  const retryAfterMs = (error.headers && retryAfterFromHeaders(error.headers)) ?? retryAfterFromMessage(message);
  // The provider's own words, as the OpenAI SDK words them ("401 Incorrect API key provided"),
  // rather than an SDK message that may be a JSON dump of the error body.
  const said = text(inner?.message) === null ? error.message : error.status ? `${error.status} ${message}` : message;
  return new ProviderError(said, classify({ status, code, type, message }), {
    httpStatus: error.status ?? null,
    retryAfterMs,
    requestId: error.headers ? requestIdOf(error.headers) : null,
  });
}

/**
 * A 200 answer whose body is a JSON error instead of an event stream (gateways such as OpenRouter
 * send these when the upstream failed before streaming): the provider's own message, classified as
 * the HTTP error it describes (a numeric `code` is the upstream status). One that names no cause
 * is `other`, not retried: the server answered on purpose, nothing was cut. Null when the body
 * holds no `error`.
 */
export function errorBodyFailure(body: unknown, headers: Headers): ProviderError | null {
  const record = asRecord(body);
  if (record === null || record.error === undefined || record.error === null) return null;
  // OpenAI's `{error: {message, type, code}}`, Anthropic's `{type: 'error', error: {type, message}}`, or a bare string.
  const inner = asRecord(record.error) ?? {};
  const message = text(inner.message) ?? text(record.error) ?? 'the provider answered with an error and no message';
  const status = typeof inner.code === 'number' ? inner.code : undefined;
  const kind = classify({ status, code: text(inner.code), type: text(inner.type), message, unexplained: 'other' });
  return new ProviderError(message, kind, { httpStatus: 200, retryAfterMs: retryAfterFromHeaders(headers) ?? retryAfterFromMessage(message) });
}

/**
 * An error the stream itself reported (`response.failed`, an `error` event) by its code and
 * message; `status` when the payload names one.
 */
export function reportedError(code: string | null, message: string, status?: number): ProviderError {
  return new ProviderError(message, classify({ status, code, type: null, message }), {
    httpStatus: null,
    retryAfterMs: retryAfterFromMessage(message),
  });
}

interface Classifiable {
  status: number | undefined;
  code: string | null;
  type: string | null;
  message: string;
  /** The kind when nothing above names one; by default a server fault mid-stream, else `other`. */
  unexplained?: ProviderErrorKind;
}

const overloadedCodes = new Set(['server_is_overloaded', 'slow_down', 'overloaded_error']);
const contextCodes = new Set(['context_length_exceeded', 'context_window_exceeded', 'model_context_window_exceeded']);
const contextMessage =
  /context[ _](length|window)|prompt is too long|maximum context|exceed(s|ed)? (the )?context|too many (input )?tokens/i;

function classify({ status, code, type, message, unexplained }: Classifiable): ProviderErrorKind {
  const is = (...names: string[]) => names.some((name) => name === code || name === type);
  const maybeContext = status === undefined || status === 400 || status === 413;
  if (maybeContext && (contextCodes.has(code ?? '') || contextMessage.test(message))) return 'contextWindowExceeded';
  if (status === 401 || status === 403 || is('authentication_error', 'permission_error', 'invalid_api_key')) {
    return 'unauthorized';
  }
  if (status === 404 || is('not_found_error', 'model_not_found')) return 'modelNotFound';
  // Out of quota is not a rate limit: waiting does not help (Codex's usageLimitExceeded).
  if (is('insufficient_quota')) return 'usageLimitExceeded';
  if (status === 429 || is('rate_limit_exceeded', 'rate_limit_error')) return 'rateLimitExceeded';
  if (status === 503 || status === 529 || overloadedCodes.has(code ?? '') || overloadedCodes.has(type ?? '')) {
    return 'serverOverloaded';
  }
  if ((status !== undefined && status >= 500) || is('server_error', 'api_error')) return 'internalServerError';
  if (status === 400 || status === 413 || status === 422 || is('invalid_request_error', 'invalid_prompt')) return 'badRequest';
  if (status === undefined && /^(invalid|image|unsupported|empty)_/.test(code ?? '')) return 'badRequest';
  if (unexplained !== undefined) return unexplained;
  // An unexplained failure reported mid-stream is treated as a server fault (retryable).
  return status === undefined ? 'internalServerError' : 'other';
}

/** The provider's id for a request: OpenAI and most gateways send `x-request-id`, Anthropic `request-id`. */
export function requestIdOf(headers: Headers): string | null {
  return headers.get('x-request-id') ?? headers.get('request-id');
}

/** `retry-after-ms` (milliseconds), else `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: Headers, nowMs = Date.now()): number | null {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** OpenAI's rate-limit messages say "Please try again in 1.5s" (or "in 250ms"). */
function retryAfterFromMessage(message: string): number | null {
  const match = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message);
  if (!match) return null;
  const amount = Number.parseFloat(match[1]!);
  return Math.round(match[2]!.toLowerCase() === 'ms' ? amount : amount * 1000);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
