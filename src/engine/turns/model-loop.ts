// A turn's model loop: model → tool calls → results → model, until the model stops. Around each
// call it routes (the thread's provider, or the next fallback when that one fails for good),
// compacts (before a call that would not fit, and once when the provider says it did not), and
// runs the response's tool calls through the turn's tools and its one gate.
import type { ConversationItem, ModelProvider } from '../../providers/types.js';
import { ProviderError } from '../../providers/types.js';
import { map } from '../../core/plist.js';
import { runModelCall, type CallLimits, type ModelCall } from './model-call.js';
import { halt, turnEvent, type ActiveTurn } from './active-turn.js';
import { compactThread, contextTokens } from './compaction.js';
import { buildConversation } from './conversation.js';
import { turnErrorFrom } from './errors.js';
import { planModeGate } from './plan-mode.js';
import { providerFailure } from './provider-log.js';
import type { ToolCallRequest } from './response-recorder.js';
import { runToolCalls } from './run-tool-calls.js';
import type { AnyCallTools } from './tool-source.js';
import { contextChanges, contextInEffect, turnContext } from './turn-context.js';
import type { TurnEnvironment, TurnLimits } from './turn-environment.js';

/** The share of a known context window a conversation may fill before it is compacted. */
const AUTO_COMPACT_SHARE = 0.9;

/** Failures a fallback can route around; a bad request or an exhausted iteration cap cannot. */
const ROUTABLE = new Set(['rateLimitExceeded', 'usageLimitExceeded', 'serverOverloaded', 'internalServerError', 'httpConnectionFailed', 'responseStreamDisconnected', 'modelNotFound', 'unauthorized']);

type Route = { modelProvider: string; model: string };

export class ModelLoop {
  constructor(private readonly env: TurnEnvironment) {}

  /** Calls the model until it stops (or the turn is stopped); throws what ends the turn failed. */
  async run(turn: ActiveTurn, limits: TurnLimits): Promise<void> {
    const { runtime } = turn;
    let route: Route = { modelProvider: runtime.state.settings.modelProvider, model: runtime.state.settings.model };
    const fallbacks = [...limits.fallback];
    for (let iteration = 1; ; iteration++) {
      if (turn.abort.signal.aborted) return;
      if (iteration > limits.maxIterations) {
        throw new ProviderError(`turn stopped after ${limits.maxIterations} model calls (keel.max_turn_iterations)`, 'other', { retryable: false });
      }
      turn.steered = false;
      let recorder;
      try {
        const history = await this.compactIfNeeded(turn, route, limits);
        recorder = await this.callModel(turn, route, limits, history);
      } catch (error) {
        // Abandoned for steering: call again, now with the steered input.
        if (turn.steered && !turn.abort.signal.aborted) continue;
        // The provider says the history no longer fits: compact, and try the call once more.
        if (error instanceof ProviderError && error.kind === 'contextWindowExceeded' && !turn.compactedForOverflow && !turn.abort.signal.aborted) {
          turn.compactedForOverflow = true;
          await this.compact(turn);
          continue;
        }
        const next = fallbacks.shift();
        if (turn.abort.signal.aborted || next === undefined || !(error instanceof ProviderError) || !ROUTABLE.has(error.kind)) {
          if (error instanceof ProviderError && !turn.abort.signal.aborted) this.env.logger.warn(providerFailure(turn, route, error), 'provider call failed; the turn fails');
          throw error;
        }
        this.env.logger.warn({ ...providerFailure(turn, route, error), fallback: `${next.modelProvider}/${next.model}` }, 'provider call failed; the turn continues on a fallback');
        // Codex's model/rerouted cannot say "provider fallback" (its reason enum has one value), so the reroute is a warning.
        this.env.notify(runtime, {
          type: 'warned',
          threadId: runtime.state.id,
          message: `${route.modelProvider}/${route.model} failed (${error.message}); this turn continues on ${next.modelProvider}/${next.model} (keel.fallback)`,
        });
        route = next;
        continue;
      }
      if (recorder.toolCalls.length > 0) {
        await this.runTools(turn, recorder.toolCalls, limits);
        continue;
      }
      if (!turn.steered) return;
    }
  }

  /** Compacts the thread now: its history becomes a summary the model writes (compaction.ts). */
  async compact(turn: ActiveTurn): Promise<void> {
    const { modelProvider, model } = turn.runtime.state.settings;
    const provider = await this.env.provider(modelProvider);
    await compactThread(this.callBase(turn, provider, { modelProvider, model }, this.env.limits(), turn.abort.signal));
  }

  /**
   * Records what the model must be told before this turn's input that it was not told already
   * (turn-context.ts): nothing when nothing changed, so earlier requests stay the prefix of this one.
   */
  async recordContext(turn: ActiveTurn, keep: Parameters<typeof contextChanges>[2] = []): Promise<void> {
    const { runtime } = turn;
    // A skills folder that cannot be scanned leaves the model without skills, never without its turn.
    const skills = (await this.env.skills?.(runtime.state.settings.cwd).catch((error: unknown) => {
      this.env.logger.warn({ err: error, cwd: runtime.state.settings.cwd }, 'skills could not be scanned');
      return [];
    })) ?? [];
    const current = await turnContext(runtime.state.settings, this.env.home, new Date(this.env.now()), turn.options, skills);
    const context = contextChanges(contextInEffect(map(runtime.state.turns, (t) => t)), current, keep);
    if (context.length > 0) runtime.apply([turnEvent(runtime, this.env.now(), { type: 'turn/context', turnId: turn.turnId, context })]);
  }

  /**
   * Before a model call: compact when what it would send (compaction.ts contextTokens: the
   * provider's last report plus an estimate of what was added since) is past the limit (once per
   * call). Returns the history it built when it did not compact, so the call sends it as it is
   * instead of building it again (local images read twice); null when there is none to reuse.
   */
  private async compactIfNeeded(turn: ActiveTurn, route: Route, limits: TurnLimits): Promise<ConversationItem[] | null> {
    const window = this.env.contextWindow(route.modelProvider, route.model);
    const limit = limits.autoCompactTokenLimit ?? (window === null ? null : Math.floor(window * AUTO_COMPACT_SHARE));
    if (limit === null) return null;
    const provider = await this.env.provider(route.modelProvider);
    const history = await buildConversation(turn.runtime.state, provider.toolFamily, turn.abort.signal, this.env.hidden, { provider: provider.id, model: route.model });
    if (contextTokens(turn.runtime.state, history) <= limit) return history;
    await this.compact(turn);
    return null;
  }

  /** Runs one response's tool calls, each through the turn's tools, behind its one gate. */
  private async runTools(turn: ActiveTurn, calls: readonly ToolCallRequest[], limits: TurnLimits): Promise<void> {
    const { runtime } = turn;
    const gate = this.env.gate({ runtime, turnId: turn.turnId, signal: turn.abort.signal, cancel: () => halt(turn, { status: 'interrupted', error: null }) });
    const family = turn.family;
    const tools = this.turnTools(turn, limits);
    const workspace = this.env.workspace?.(runtime.state.id);
    await runToolCalls({
      runtime,
      turnId: turn.turnId,
      calls,
      family,
      plan: (call) => tools.resolve(call, family),
      // Plan mode and reviews look but do not touch.
      gate: turn.options.mode === 'plan' || turn.options.mode === 'review' ? planModeGate(gate, this.env.onlyReads) : gate,
      turnState: turn.toolState,
      signal: turn.abort.signal,
      env: this.env.commandEnv(),
      ...(workspace && { workspace }),
      now: this.env.now,
      newId: this.env.newId,
    });
  }

  /** The turn's tools: fixed at its first model call, the same for every call after it. */
  private turnTools(turn: ActiveTurn, limits: TurnLimits): AnyCallTools {
    turn.tools ??= this.env.tools.forTurn({
      runtime: turn.runtime,
      turnId: turn.turnId,
      mode: turn.options.mode,
      signal: turn.abort.signal,
      clientRequestTimeoutMs: limits.clientRequestTimeoutMs,
      now: this.env.now,
      clock: this.env.clock,
    });
    return turn.tools;
  }

  private async callModel(turn: ActiveTurn, route: Route, limits: TurnLimits, history: ConversationItem[] | null) {
    const { model, modelProvider } = route;
    const unserved = this.env.unservedModel(modelProvider, model);
    if (unserved !== null) throw new ProviderError(unserved, 'modelNotFound', { retryable: false });
    const provider = await this.env.provider(modelProvider);
    turn.family = provider.toolFamily;
    const call = new AbortController();
    const stop = () => call.abort(turn.abort.signal.reason);
    turn.abort.signal.addEventListener('abort', stop, { once: true });
    // The turn may have been stopped while the provider was being made ready.
    if (turn.abort.signal.aborted) stop();
    turn.call = call;
    try {
      // Input steered in since the history was built is not in it: build it again.
      return await this.modelCall(turn, provider, route, limits, call.signal, turn.steered ? null : history);
    } finally {
      turn.call = null;
      turn.abort.signal.removeEventListener('abort', stop);
    }
  }

  private modelCall(turn: ActiveTurn, provider: ModelProvider, { model, modelProvider }: Route, limits: TurnLimits, signal: AbortSignal, history: ConversationItem[] | null) {
    return runModelCall({
      ...this.callBase(turn, provider, { modelProvider, model }, limits, signal),
      options: turn.options,
      tools: this.turnTools(turn, limits).list({ family: provider.toolFamily, freeform: provider.freeformTools?.(model) ?? false }),
      ...(history !== null && { history }),
    });
  }

  /** What every model call of the turn shares, a turn's or a compaction's: one path (model-call.ts). */
  private callBase(turn: ActiveTurn, provider: ModelProvider, { model, modelProvider }: Route, limits: CallLimits, signal: AbortSignal) {
    const { runtime } = turn;
    return {
      runtime,
      turnId: turn.turnId,
      provider,
      model,
      hidden: this.env.hidden,
      limits,
      signal,
      contextWindow: this.env.contextWindow(modelProvider, model),
      now: this.env.now,
      clock: this.env.clock,
      newId: this.env.newId,
      onRetry: (error: ProviderError, attempt: number, retryInMs: number) => {
        this.env.logger.warn({ ...providerFailure(turn, { modelProvider, model }, error), attempt, retryInMs }, 'provider call failed; retrying');
        runtime.apply([turnEvent(runtime, this.env.now(), { type: 'turn/error', turnId: turn.turnId, error: turnErrorFrom(error), willRetry: true })]);
      },
      onRateLimits: (rateLimits: Parameters<ModelCall['onRateLimits']>[0]) => this.env.broadcast({ type: 'rateLimits', limitId: modelProvider, ...rateLimits }),
    };
  }
}
