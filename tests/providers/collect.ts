// Shared pieces of the provider tables: a request with defaults, and draining a provider stream.
import { ProviderError, type ModelEvent, type ModelProvider, type ModelRequest } from '../../src/providers/types.js';

export function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'test-model',
    instructions: null,
    conversation: [{ type: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    reasoningEffort: null,
    reasoningSummary: null,
    outputSchema: null,
    cacheKey: null,
    parallelToolCalls: false,
    ...overrides,
  };
}

/** All events of one stream, and the error it ended with (null when it completed). */
export async function drain(
  provider: ModelProvider,
  request: ModelRequest = modelRequest(),
  signal: AbortSignal = new AbortController().signal,
): Promise<{ events: ModelEvent[]; error: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const batch of provider.stream(request, signal)) events.push(...batch);
    return { events, error: null };
  } catch (error) {
    return { events, error };
  }
}

/** A ProviderError reduced to what the engine reads from it. */
export function errorSummary(error: unknown) {
  if (!(error instanceof ProviderError)) return error;
  return {
    kind: error.kind,
    httpStatus: error.options.httpStatus ?? null,
    retryAfterMs: error.options.retryAfterMs ?? null,
    retryable: error.retryable,
  };
}

/**
 * Reads the first event of a stream that the server then stalls, aborts, and returns what the
 * next read did. No timers: the abort happens as soon as the first event is in.
 */
export async function abortAfterFirstEvent(provider: ModelProvider) {
  const controller = new AbortController();
  const iterator = provider.stream(modelRequest(), controller.signal)[Symbol.asyncIterator]();
  const first = await iterator.next();
  controller.abort();
  const next = await iterator.next().then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  return { first: (first.value as ModelEvent[])[0]!, next };
}
