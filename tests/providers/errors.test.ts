import * as anthropic from '@anthropic-ai/sdk';
import * as openai from 'openai';
import { describe, expect, it } from 'vitest';
import { reportedError, requestFailure, retryAfterFromHeaders } from '../../src/providers/errors.js';
import { parseDuration } from '../../src/providers/rate-limits.js';
import { ProviderError } from '../../src/providers/types.js';
import { errorSummary } from './collect.js';

const live = new AbortController().signal;
const openaiError = (status: number, error: object, headers: Record<string, string> = {}) =>
  openai.APIError.generate(status, { error }, undefined, new Headers(headers));
const anthropicError = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  anthropic.APIError.generate(status, { type: 'error', error: { type, message } }, undefined, new Headers(headers));

const summary = (kind: string, httpStatus: number | null, retryAfterMs: number | null = null, retryable?: boolean) => ({
  kind,
  httpStatus,
  retryAfterMs,
  retryable: retryable ?? ['rateLimitExceeded', 'serverOverloaded', 'internalServerError', 'httpConnectionFailed', 'responseStreamDisconnected'].includes(kind),
});

describe('SDK errors → ProviderError', () => {
  const table: Array<[name: string, error: unknown, sdk: typeof openai | typeof anthropic, expected: ReturnType<typeof summary>]> = [
    ['openai 401', openaiError(401, { message: 'bad key' }), openai, summary('unauthorized', 401)],
    ['openai 403', openaiError(403, { message: 'region' }), openai, summary('unauthorized', 403)],
    ['openai 400', openaiError(400, { message: 'bad tool schema' }), openai, summary('badRequest', 400)],
    ['openai 400 context_length_exceeded', openaiError(400, { message: 'too long', code: 'context_length_exceeded' }), openai, summary('contextWindowExceeded', 400)],
    ['openai 404', openaiError(404, { message: 'The model gpt-9 does not exist', code: 'model_not_found' }), openai, summary('modelNotFound', 404)],
    ['openai 429 retry-after-ms', openaiError(429, { message: 'slow down' }, { 'retry-after-ms': '1500' }), openai, summary('rateLimitExceeded', 429, 1500)],
    ['openai 429 from the message', openaiError(429, { message: 'Rate limit reached. Please try again in 250ms.' }), openai, summary('rateLimitExceeded', 429, 250)],
    ['openai 503', openaiError(503, { message: 'unavailable' }), openai, summary('serverOverloaded', 503)],
    ['openai 502', openaiError(502, { message: 'bad gateway' }), openai, summary('internalServerError', 502)],
    ['openai 402', openaiError(402, { message: 'pay up' }), openai, summary('other', 402)],
    ['openai connection', new openai.APIConnectionError({ message: 'Connection error.' }), openai, summary('httpConnectionFailed', null)],
    ['openai timeout', new openai.APIConnectionTimeoutError(), openai, summary('httpConnectionFailed', null)],
    ['anthropic 401', anthropicError(401, 'authentication_error', 'invalid x-api-key'), anthropic, summary('unauthorized', 401)],
    ['anthropic 413', anthropicError(413, 'request_too_large', 'Request exceeds the maximum size'), anthropic, summary('badRequest', 413)],
    ['anthropic 400 too long', anthropicError(400, 'invalid_request_error', 'input length and `max_tokens` exceed context limit: 190000 + 20000 > 200000'), anthropic, summary('contextWindowExceeded', 400)],
    ['anthropic 429', anthropicError(429, 'rate_limit_error', 'limit', { 'retry-after': '7' }), anthropic, summary('rateLimitExceeded', 429, 7000)],
    ['anthropic 529', anthropicError(529, 'overloaded_error', 'Overloaded'), anthropic, summary('serverOverloaded', 529)],
    ['anthropic connection', new anthropic.APIConnectionError({ message: 'Connection error.' }), anthropic, summary('httpConnectionFailed', null)],
  ];

  it.each(table)('%s', (_name, error, sdk, expected) => {
    expect(errorSummary(requestFailure(error, sdk, live))).toEqual(expected);
  });

  it('an abort is the signal reason, never a ProviderError', () => {
    const controller = new AbortController();
    controller.abort();
    const failure = requestFailure(new openai.APIUserAbortError(), openai, controller.signal);
    expect(failure).toBe(controller.signal.reason);
    expect(failure).toMatchObject({ name: 'AbortError' });
  });

  it('passes ProviderErrors and foreign errors through', () => {
    const provider = new ProviderError('x', 'other');
    const bug = new TypeError('bug');
    expect([requestFailure(provider, openai, live), requestFailure(bug, openai, live)]).toEqual([provider, bug]);
  });
});

describe('errors the stream reports', () => {
  const table: Array<[code: string | null, message: string, expected: ReturnType<typeof summary>]> = [
    ['context_length_exceeded', 'Your input exceeds the context window', summary('contextWindowExceeded', null)],
    ['insufficient_quota', 'You exceeded your current quota', summary('usageLimitExceeded', null, null, false)],
    ['server_is_overloaded', 'busy', summary('serverOverloaded', null)],
    ['invalid_prompt', 'flagged', summary('badRequest', null)],
    ['invalid_image_url', 'cannot fetch', summary('badRequest', null)],
    ['server_error', 'oops', summary('internalServerError', null)],
    [null, 'something went wrong', summary('internalServerError', null)],
  ];
  it.each(table)('%s', (code, message, expected) => {
    expect(errorSummary(reportedError(code, message))).toEqual(expected);
  });
});

describe('header parsing', () => {
  it('reads retry-after as seconds, milliseconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect([
      retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now),
      retryAfterFromHeaders(new Headers({ 'retry-after': '0.5' }), now),
      retryAfterFromHeaders(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now),
      retryAfterFromHeaders(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now),
      retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' }), now),
      retryAfterFromHeaders(new Headers(), now),
    ]).toEqual([2000, 500, 120, 30_000, null, null]);
  });

  it('reads Go-style reset durations', () => {
    expect(['1s', '6m0s', '1h2m3.5s', '20ms', '2m59.56s', '', 'soon', '5'].map(parseDuration)).toEqual([
      1000, 360_000, 3_723_500, 20, 179_560, null, null, null,
    ]);
  });
});
