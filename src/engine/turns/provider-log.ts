// The fields of a provider failure's log record (retries, fallbacks, a turn that fails on its
// provider): whose turn, which route, and the provider's own request id, so an operator can find the
// request in the provider's records.
import type { ProviderError } from '../../providers/types.js';
import type { ThreadRuntime } from '../thread-runtime.js';

/** What the log says of a provider failure: whose turn, which route, and the provider's own request id. */
export function providerFailure(turn: { runtime: ThreadRuntime; turnId: string }, route: { modelProvider: string; model: string }, error: ProviderError) {
  return {
    threadId: turn.runtime.state.id,
    turnId: turn.turnId,
    modelProvider: route.modelProvider,
    model: route.model,
    requestId: error.requestId,
    httpStatus: error.options.httpStatus ?? null,
    kind: error.kind,
    error: error.message,
  };
}
