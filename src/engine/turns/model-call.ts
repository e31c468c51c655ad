// Every model call Keel makes — a turn's, a compaction's, a review's (a review is a turn) — goes
// through runModelCall: the request built from the thread by one builder, retries (backoff,
// retry-after) on retryable failures, an idle timeout on a silent stream, the turn's abort, the
// client's backpressure, token usage recorded, and an empty reply asked again once. What the
// response becomes depends on the sink: a turn's items, or (a compaction) the text it collects.
import type { ConversationItem, RateLimitWindow, ModelProvider, ModelRequest, ToolDefinition } from '../../providers/types.js';
import { ProviderError } from '../../providers/types.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import { buildConversation } from './conversation.js';
import { parallelToolCalls } from '../../providers/model-catalog.js';
import { ResponseRecorder, type ResponseSink } from './response-recorder.js';
import { delay, retryDelayMs, type RetryPolicy } from './retry.js';
import { realClock, type Clock, type TimerHandle } from '../../kernel/clock.js';

export interface TurnOptions {
  summary: string | null;
  outputSchema: Record<string, unknown> | null;
  /** The collaboration mode: `plan` reads and proposes, `default` acts (plan-mode.ts); `review` reviews a change (review.ts). */
  mode?: 'plan' | 'default' | 'review';
  /** The mode's own developer instructions (turn/start.collaborationMode.settings). */
  modeInstructions?: string | null;
}

export interface CallLimits {
  idleTimeoutMs: number;
  /** `model_reasoning_summary` from config: the summary asked for when a turn names none. */
  reasoningSummary: string | null;
  retry: RetryPolicy;
}

export interface ModelCall {
  runtime: ThreadRuntime;
  turnId: string;
  provider: ModelProvider;
  /** The model to call (the thread's, or a fallback's). */
  model: string;
  /** This turn's own request options (turn/start `summary`, `outputSchema`). */
  options: TurnOptions;
  tools: ToolDefinition[];
  /** The thread's history as the model will read it, when the caller has just built it (first attempt only; a retry rebuilds it). */
  history?: ConversationItem[];
  /** What follows the history (a compaction's request for a summary); absent: nothing. */
  append?: ConversationItem[];
  /** `items` (default): the response becomes the turn's items; `text`: its text is only collected (recorder.text), usage still recorded. */
  sink?: ResponseSink;
  limits: CallLimits;
  signal: AbortSignal;
  /** Places images are never read from (Keel's home): buildConversation's `hidden`. */
  hidden: readonly string[];
  contextWindow: number | null;
  now: () => number;
  /** The idle timer's and the retry backoff's clock; absent: the real one. */
  clock?: Clock;
  newId: () => string;
  /** A retryable failure, before waiting `delayMs` to make attempt `attempt + 1`. */
  onRetry: (error: ProviderError, attempt: number, delayMs: number) => void;
  onRateLimits: (rateLimits: { primary: RateLimitWindow | null; secondary: RateLimitWindow | null }) => void;
}

/** How many times an empty reply (no text, no tool call) is asked again before the call fails. */
const EMPTY_REPLY_RETRIES = 1;

export async function runModelCall(call: ModelCall): Promise<ResponseRecorder> {
  let failures = 0;
  let empties = 0;
  for (let first = true; ; first = false) {
    const recorder = new ResponseRecorder(call.runtime, call.turnId, call.now, call.newId, call.contextWindow, { provider: call.provider.id, model: call.model }, call.sink);
    try {
      await streamOnce(first ? call : { ...call, history: undefined }, recorder);
      recorder.closeOpen();
      recorder.recordUsage();
    } catch (error) {
      // What was streamed stays in the thread as it is (the model sees it on the next call).
      recorder.closeOpen();
      failures++;
      if (call.signal.aborted || !(error instanceof ProviderError) || !error.retryable || failures > call.limits.retry.maxRetries) throw error;
      const delayMs = retryDelayMs(call.limits.retry, failures, error.options.retryAfterMs);
      call.onRetry(error, failures, delayMs);
      await delay(delayMs, call.signal, call.clock);
      continue;
    }
    if (!recorder.empty()) return recorder;
    // A completed response that says and does nothing would end the turn as if it were done.
    if (++empties > EMPTY_REPLY_RETRIES) throw new ProviderError('the model returned an empty response twice (no text and no tool call)', 'other', { retryable: false });
    call.onRetry(new ProviderError('the model returned an empty response (no text and no tool call); asking again', 'other'), failures + empties, 0);
  }
}

/** The request for one attempt: the same builder for every call, the conversation rebuilt unless given. */
async function modelRequest(call: ModelCall): Promise<ModelRequest> {
  const { settings } = call.runtime.state;
  const route = { provider: call.provider.id, model: call.model };
  const history = call.history ?? (await buildConversation(call.runtime.state, call.provider.toolFamily, call.signal, call.hidden, route));
  return {
    model: call.model,
    // Keel's prompt and the thread's instructions are developer messages in the history, recorded with its turns (turn-context.ts).
    instructions: null,
    conversation: [...history, ...(call.append ?? [])],
    tools: call.tools,
    reasoningEffort: settings.reasoningEffort,
    // Summaries of a collected call's reasoning would be thrown away: none asked for.
    reasoningSummary: call.sink === 'text' ? null : (call.options.summary ?? call.limits.reasoningSummary ?? (settings.reasoningEffort ? 'auto' : null)),
    outputSchema: call.options.outputSchema,
    cacheKey: call.runtime.state.id,
    parallelToolCalls: call.tools.length > 0 && parallelToolCalls(call.provider.id, call.model),
    serviceTier: settings.serviceTier ?? null,
  };
}

async function streamOnce(call: ModelCall, recorder: ResponseRecorder): Promise<void> {
  const request = await modelRequest(call);
  // The attempt's own controller: aborted by the turn's signal, or by the idle timer.
  const controller = new AbortController();
  const forward = () => controller.abort(call.signal.reason);
  call.signal.addEventListener('abort', forward, { once: true });
  // One timer for the whole stream: each event only notes its time; when the timer fires early
  // it re-arms for the rest of the window (re-creating a timer per delta costs more than the delta).
  const clock = call.clock ?? realClock;
  let idle = false;
  let lastEventAt = clock.now();
  let paused = false;
  let timer: TimerHandle | undefined;
  const check = () => {
    const silentFor = paused ? 0 : clock.now() - lastEventAt;
    if (silentFor >= call.limits.idleTimeoutMs) {
      idle = true;
      controller.abort(new Error('idle'));
    } else timer = clock.setTimeout(check, call.limits.idleTimeoutMs - silentFor);
  };
  try {
    timer = clock.setTimeout(check, call.limits.idleTimeoutMs);
    let completed = false;
    for await (const batch of call.provider.stream(request, controller.signal)) {
      // Once aborted (interrupt, steer, idle), nothing more of this response reaches the thread.
      if (controller.signal.aborted) throw controller.signal.reason;
      // A client that stopped reading pauses the turn here: nothing more is read from the model
      // (its bytes wait in the socket) until the client has caught up. Not the model's silence.
      const backpressure = call.runtime.backpressure();
      if (backpressure !== null) {
        paused = true;
        await untilOrAborted(backpressure, controller.signal);
        paused = false;
      }
      lastEventAt = clock.now();
      for (const event of batch) {
        if (event.type === 'rateLimits') call.onRateLimits({ primary: event.primary, secondary: event.secondary });
        else recorder.handle(event);
        if (event.type === 'completed') completed = true;
      }
    }
    if (!completed) throw new ProviderError('model stream ended before the response completed', 'responseStreamDisconnected');
  } catch (error) {
    if (idle && !call.signal.aborted) {
      throw new ProviderError(`model stream was silent for ${call.limits.idleTimeoutMs} ms`, 'responseStreamDisconnected');
    }
    throw error;
  } finally {
    clock.clearTimeout(timer);
    call.signal.removeEventListener('abort', forward);
  }
}

/** Resolves with `wait`, or rejects as soon as `signal` aborts (an interrupt reaches a paused turn). */
function untilOrAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}
