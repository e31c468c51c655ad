// Runs turns: model → tool calls → results → model, until the model stops. Every accepted turn
// ends with exactly one turn/completed — completed, interrupted or failed — whatever happens.
import { collectWhenIdle } from '../../kernel/idle-gc.js';
import { stampEvent, type EventBody, type ToolFamily } from '../../core/events.js';
import type { TurnError, UserInput } from '../../core/protocol-types.js';
import { ProviderError, type ConversationItem, type ModelProvider } from '../../providers/types.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import { turnErrorFrom } from './errors.js';
import { runModelCall, type CallLimits, type ModelCall, type TurnOptions } from './model-call.js';
import type { ToolCall, ToolContext, TurnToolState } from '../../tools/tool.js';
import { turnToolState } from '../../tools/turn-state.js';
import { runToolCall } from './tool-call.js';
import { runToolCalls, type CallPlan } from './run-tool-calls.js';
import { allowEverything } from '../../tools/gate.js';
import { runCommandOnce } from '../../tools/builtin/command-once.js';
import { execReport } from '../../tools/builtin/shell-tools.js';
import { contextChanges, contextInEffect, turnContext } from './turn-context.js';
import { map } from '../../core/plist.js';
import { compactThread, contextTokens } from './compaction.js';
import { buildConversation } from './conversation.js';
import { planModeGate } from './plan-mode.js';
import { recordProposedPlan, recordReview } from './closing-items.js';
import { clientToolDefinitions, clientToolFor } from './client-tools.js';
import { mcpToolDefinitions, mcpToolFor, threadMcpServers, type McpToolInfo } from './mcp-tools.js';
import { providerFailure } from './provider-log.js';
import type { TurnEnvironment, TurnLimits } from './turn-environment.js';
import { realClock } from '../../kernel/clock.js';

/** The share of a known context window a conversation may fill before it is compacted. */
const AUTO_COMPACT_SHARE = 0.9;

/** Failures a fallback can route around; a bad request or an exhausted iteration cap cannot. */
const ROUTABLE = new Set(['rateLimitExceeded', 'usageLimitExceeded', 'serverOverloaded', 'internalServerError', 'httpConnectionFailed', 'responseStreamDisconnected', 'modelNotFound', 'unauthorized']);

/** Pauses between attempts to store a turn's end when the store refuses it (disk full, busy). */
const END_RETRY_MS = [50, 200, 1000, 3000];

interface ActiveTurn {
  turnId: string;
  runtime: ThreadRuntime;
  options: TurnOptions;
  abort: AbortController;
  /** Why the turn is being stopped, once it is. */
  stop: { status: 'interrupted' | 'failed'; error: TurnError | null } | null;
  /** Set when steering added input since the last model call began. */
  steered: boolean;
  /** The model call in flight: steering abandons it (the turn goes on with a new call). */
  call: AbortController | null;
  /** What the turn's tool calls share (exec sessions, file changes); closed when the turn ends. */
  toolState: TurnToolState;
  /** The tool family of the model last called: its calls are run in that family's toolset. */
  family: ToolFamily;
  done: Promise<void>;
  /** Stops listening for the thread's write failures. */
  unlisten: () => void;
  /** The user's commands running in this turn (thread/shellCommand): the turn ends after them. */
  userCommands: Array<Promise<void>>;
  /** Set once the turn has begun to end: nothing more joins it. */
  ending: boolean;
  /** The MCP tools the turn offers, fixed at its first model call (null before it): the ones its calls may use. */
  mcpTools: McpToolInfo[] | null;
  /** Set once a context-window overflow was answered by compacting (it is retried once). */
  compactedForOverflow: boolean;
}

export class TurnEngine {
  private readonly active = new Map<string, ActiveTurn>();

  constructor(private readonly env: TurnEnvironment) {}

  activeTurnId(threadId: string): string | null {
    return this.active.get(threadId)?.turnId ?? null;
  }

  /**
   * Opens a turn: records turn/started and the user's message (published by the caller after its
   * response) and returns the function that starts the model loop.
   */
  begin(runtime: ThreadRuntime, input: UserInput[], options: TurnOptions = { summary: null, outputSchema: null }): { turnId: string; publish: () => void; run: () => void } {
    const threadId = runtime.state.id;
    const running = this.active.get(threadId)?.turnId ?? runtime.state.activeTurnId;
    if (running !== null) throw DomainErrors.turnAlreadyRunning(threadId, running);
    const turnId = this.env.newId();
    const itemId = this.env.newId();
    const message = { type: 'userMessage' as const, id: itemId, content: input };
    // A review opens with what it reviews (Codex's enteredReviewMode), then the request itself.
    const entered = options.mode === 'review' ? { type: 'enteredReviewMode' as const, id: this.env.newId(), review: input.map((part) => (part.type === 'text' ? part.text : '')).join('') } : null;
    const publish = runtime.apply(
      [
        this.event(runtime, { type: 'turn/started', turnId, model: runtime.state.settings.model }),
        ...(entered
          ? [this.event(runtime, { type: 'item/started', turnId, itemId: entered.id, item: entered }), this.event(runtime, { type: 'item/completed', turnId, itemId: entered.id, item: entered })]
          : []),
        this.event(runtime, { type: 'item/started', turnId, itemId, item: message }),
        this.event(runtime, { type: 'item/completed', turnId, itemId, item: message }),
      ],
      { deferred: true },
    );
    const turn = this.open(runtime, turnId, options);
    return { turnId, publish, run: () => (turn.done = this.run(turn)) };
  }

  /**
   * thread/shellCommand: the user's own command, run with full access in the thread's cwd and
   * recorded as a `commandExecution` item (source `userShell`) the model sees on its next call.
   * It joins the running turn when there is one; else it runs in a turn of its own
   * (turn/started … turn/completed), as Codex does. Returns what to do once the answer is out.
   */
  userCommand(runtime: ThreadRuntime, command: string, timeoutMs: number): () => void {
    const threadId = runtime.state.id;
    const active = this.active.get(threadId);
    if (active !== undefined && active.ending) throw DomainErrors.turnAlreadyRunning(threadId, active.turnId);
    if (active === undefined && runtime.state.activeTurnId !== null) throw DomainErrors.turnAlreadyRunning(threadId, runtime.state.activeTurnId);
    const run = (turn: ActiveTurn) =>
      runToolCall({
        runtime,
        turnId: turn.turnId,
        call: { callId: this.env.newId(), name: 'shell', arguments: '' },
        record: null,
        execute: (ctx) => runCommandOnce(ctx, { cmd: command, cwd: ctx.cwd, source: 'userShell', timeoutMs }, execReport),
        // The user's own command: no approval, no sandbox (Codex's thread/shellCommand says the same).
        gate: allowEverything,
        turnState: turn.toolState,
        signal: turn.abort.signal,
        env: this.env.commandEnv(),
        now: this.env.now,
      });
    if (active !== undefined) return () => void active.userCommands.push(run(active).catch((error) => this.env.logger.error({ err: error, threadId }, 'user command failed')));
    return this.ownTurn(runtime, run);
  }

  /**
   * A turn that runs one task rather than the model loop (a user's command, a compaction): opened
   * now, started once the answer is out; it completes, or fails with the task's error.
   */
  private ownTurn(runtime: ThreadRuntime, task: (turn: ActiveTurn) => Promise<void>): () => void {
    const turnId = this.env.newId();
    const publish = runtime.apply([this.event(runtime, { type: 'turn/started', turnId, model: runtime.state.settings.model })], { deferred: true });
    const turn = this.open(runtime, turnId, { summary: null, outputSchema: null });
    return () => {
      publish();
      turn.done = (async () => {
        let outcome: { status: 'completed' | 'interrupted' | 'failed'; error: TurnError | null } = { status: 'completed', error: null };
        try {
          await task(turn);
        } catch (error) {
          outcome = { status: 'failed', error: turnErrorFrom(error) };
        }
        await this.finish(turn, turn.stop ?? outcome);
      })();
    };
  }

  /**
   * thread/compact/start: a turn of its own holding one contextCompaction item (Codex's shape); it
   * fails, clearly, when the model cannot summarise, and the thread keeps its full history.
   * Returns what to do once the answer is out.
   */
  compact(runtime: ThreadRuntime): () => void {
    const threadId = runtime.state.id;
    const running = this.active.get(threadId)?.turnId ?? runtime.state.activeTurnId;
    if (running !== null) throw DomainErrors.turnAlreadyRunning(threadId, running);
    return this.ownTurn(runtime, async (turn) => {
      // The summary is written knowing the facts of now; the mode stays the one in effect.
      await this.recordContext(turn, ['mode']);
      await this.compactNow(turn);
    });
  }

  private async compactNow(turn: ActiveTurn): Promise<void> {
    const { modelProvider, model } = turn.runtime.state.settings;
    const provider = await this.env.provider(modelProvider);
    await compactThread(this.callBase(turn, provider, { modelProvider, model }, this.env.limits(), turn.abort.signal));
  }

  /**
   * Before a model call: compact when what it would send (compaction.ts contextTokens: the
   * provider's last report plus an estimate of what was added since) is past the limit (once per
   * call). Returns the history it built when it did not compact, so the call sends it as it is
   * instead of building it again (local images read twice); null when there is none to reuse.
   */
  private async compactIfNeeded(turn: ActiveTurn, route: { modelProvider: string; model: string }, limits: TurnLimits): Promise<ConversationItem[] | null> {
    const window = this.env.contextWindow(route.modelProvider, route.model);
    const limit = limits.autoCompactTokenLimit ?? (window === null ? null : Math.floor(window * AUTO_COMPACT_SHARE));
    if (limit === null) return null;
    const provider = await this.env.provider(route.modelProvider);
    const history = await buildConversation(turn.runtime.state, provider.toolFamily, turn.abort.signal, this.env.hidden, { provider: provider.id, model: route.model });
    if (contextTokens(turn.runtime.state, history) <= limit) return history;
    await this.compactNow(turn);
    return null;
  }

  /**
   * Records what the model must be told before this turn's input that it was not told already
   * (turn-context.ts): nothing when nothing changed, so earlier requests stay the prefix of this one.
   */
  private async recordContext(turn: ActiveTurn, keep: Parameters<typeof contextChanges>[2] = []): Promise<void> {
    const { runtime } = turn;
    const current = await turnContext(runtime.state.settings, this.env.home, new Date(this.env.now()), turn.options);
    const context = contextChanges(contextInEffect(map(runtime.state.turns, (t) => t)), current, keep);
    if (context.length > 0) runtime.apply([this.event(runtime, { type: 'turn/context', turnId: turn.turnId, context })]);
  }

  private open(runtime: ThreadRuntime, turnId: string, options: TurnOptions): ActiveTurn {
    const turn: ActiveTurn = {
      turnId,
      runtime,
      options,
      abort: new AbortController(),
      stop: null,
      steered: false,
      call: null,
      toolState: turnToolState(),
      family: 'openai',
      done: Promise.resolve(),
      unlisten: () => {},
      userCommands: [],
      ending: false,
      mcpTools: null,
      compactedForOverflow: false,
    };
    // A write the store refused fences the turn (thread-runtime.ts): it ends failed, saying why.
    turn.unlisten = runtime.onWriteFailure((error) => this.halt(turn, { status: 'failed', error: turnErrorFrom(error) }));
    this.active.set(runtime.state.id, turn);
    return turn;
  }

  /**
   * Adds input to the running turn and abandons the model call in flight (as Codex does): what it
   * streamed so far stays as a completed item, and the model is called again with the new input.
   * The steered message is published by the caller, after its response.
   */
  steer(runtime: ThreadRuntime, expectedTurnId: string, input: UserInput[]): { turnId: string; publish: () => void } {
    const turn = this.active.get(runtime.state.id);
    if (turn === undefined) throw DomainErrors.noTurnToSteer();
    if (turn.turnId !== expectedTurnId) throw new DomainError('conflict', `expected turn ${expectedTurnId} but the active turn is ${turn.turnId}`);
    const itemId = this.env.newId();
    const message = { type: 'userMessage' as const, id: itemId, content: input };
    const publish = runtime.apply(
      [
        this.event(runtime, { type: 'item/started', turnId: turn.turnId, itemId, item: message }),
        this.event(runtime, { type: 'item/completed', turnId: turn.turnId, itemId, item: message }),
      ],
      { deferred: true },
    );
    turn.steered = true;
    // After the answer and the steered message: the abandoned answer's end follows them, never precedes.
    const abandon = () => {
      publish();
      turn.call?.abort(new Error('steered'));
    };
    return { turnId: turn.turnId, publish: abandon };
  }

  /** Checks that the turn runs, and returns the interruption to perform once the answer is out (so it comes first). */
  interrupt(threadId: string, turnId: string): () => void {
    const turn = this.active.get(threadId);
    if (turn === undefined || turn.turnId !== turnId) throw DomainErrors.noActiveTurn();
    return () => this.halt(turn, { status: 'interrupted', error: null });
  }

  /** True while no turn runs anywhere. */
  idle(): boolean {
    return this.active.size === 0;
  }

  /** Interrupts every running turn and waits until each has ended (shutdown). */
  async interruptAll(): Promise<void> {
    const turns = [...this.active.values()];
    for (const turn of turns) this.halt(turn, { status: 'interrupted', error: null });
    await Promise.all(turns.map((turn) => turn.done));
  }

  private halt(turn: ActiveTurn, stop: NonNullable<ActiveTurn['stop']>): void {
    turn.stop ??= stop;
    turn.abort.abort(new Error(stop.status));
  }

  private async run(turn: ActiveTurn): Promise<void> {
    const limits = this.env.limits();
    const clock = this.env.clock ?? realClock;
    const watchdog = clock.setTimeout(
      () => this.halt(turn, { status: 'failed', error: { message: `turn exceeded ${limits.turnTimeoutMs} ms`, codexErrorInfo: 'other', additionalDetails: null } }),
      limits.turnTimeoutMs,
      { unref: true },
    );
    let outcome: { status: 'completed' | 'interrupted' | 'failed'; error: TurnError | null };
    try {
      await this.recordContext(turn);
      await this.loop(turn, limits);
      outcome = turn.stop ?? { status: 'completed', error: null };
      if (outcome.status === 'completed' && turn.options.mode === 'plan') recordProposedPlan(turn.runtime, turn.turnId, this.env.newId(), this.env.now());
      if (outcome.status === 'completed' && turn.options.mode === 'review') recordReview(turn.runtime, turn.turnId, this.env.newId(), this.env.now());
    } catch (error) {
      if (turn.stop) outcome = turn.stop;
      else {
        if (!(error instanceof ProviderError) && !(error instanceof DomainError)) this.env.logger.error({ err: error, threadId: turn.runtime.state.id, turnId: turn.turnId }, 'turn failed');
        outcome = { status: 'failed', error: turnErrorFrom(error) };
      }
    } finally {
      clock.clearTimeout(watchdog);
    }
    await this.finish(turn, outcome);
  }

  private async loop(turn: ActiveTurn, limits: TurnLimits): Promise<void> {
    const { runtime } = turn;
    let route = { modelProvider: runtime.state.settings.modelProvider, model: runtime.state.settings.model };
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
          await this.compactNow(turn);
          continue;
        }
        const next = fallbacks.shift();
        if (turn.abort.signal.aborted || next === undefined || !(error instanceof ProviderError) || !ROUTABLE.has(error.kind)) {
          if (error instanceof ProviderError && !turn.abort.signal.aborted) this.env.logger.warn(providerFailure(turn, route, error), 'provider call failed; the turn fails');
          throw error;
        }
        this.env.logger.warn({ ...providerFailure(turn, route, error), fallback: `${next.modelProvider}/${next.model}` }, 'provider call failed; the turn continues on a fallback');
        // Codex's model/rerouted cannot say "provider fallback" (its reason enum has one value), so the reroute is a warning.
        this.env.notify(runtime, 'warning', {
          threadId: runtime.state.id,
          message: `${route.modelProvider}/${route.model} failed (${error.message}); this turn continues on ${next.modelProvider}/${next.model} (keel.fallback)`,
        });
        route = next;
        continue;
      }
      if (recorder.toolCalls.length > 0) {
        const gate = this.env.gate({ runtime, turnId: turn.turnId, signal: turn.abort.signal, cancel: () => this.halt(turn, { status: 'interrupted', error: null }) });
        const ask = { runtime, turnId: turn.turnId, signal: turn.abort.signal, timeoutMs: limits.clientRequestTimeoutMs, now: this.env.now, clock: this.env.clock };
        const family = turn.family;
        await runToolCalls({
          runtime,
          turnId: turn.turnId,
          calls: recorder.toolCalls,
          family,
          plan: (call) => {
            const clientTool = clientToolFor(call, runtime.state.settings.dynamicTools, turn.options.mode === 'plan');
            if (clientTool) return { execute: (ctx) => clientTool(ctx, ask), readOnly: false };
            const mcp = this.mcpTool(call, turn);
            if (mcp) return mcp;
            return { execute: (ctx) => this.env.tools.run(family, call, ctx), readOnly: this.env.tools.readOnly(family, call) };
          },
          // Plan mode and reviews look but do not touch.
          gate: turn.options.mode === 'plan' || turn.options.mode === 'review' ? planModeGate(gate, this.env.onlyReads) : gate,
          turnState: turn.toolState,
          signal: turn.abort.signal,
          env: this.env.commandEnv(),
          now: this.env.now,
          newId: this.env.newId,
        });
        continue;
      }
      if (!turn.steered) return;
    }
  }

  /** An MCP tool the model was offered on its latest call; it only reads when it says so (readOnlyHint). */
  private mcpTool(call: ToolCall, turn: ActiveTurn): CallPlan | null {
    const run = mcpToolFor(call, turn.mcpTools ?? [], this.env.mcp);
    const readOnly = turn.mcpTools?.find((tool) => tool.qualifiedName === call.name)?.annotations?.readOnlyHint === true;
    return run ? { execute: (ctx: ToolContext) => run(ctx), readOnly } : null;
  }

  private async callModel(turn: ActiveTurn, route: { modelProvider: string; model: string }, limits: TurnLimits, history: ConversationItem[] | null) {
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

  private modelCall(turn: ActiveTurn, provider: ModelProvider, { model, modelProvider }: { modelProvider: string; model: string }, limits: TurnLimits, signal: AbortSignal, history: ConversationItem[] | null) {
    const { runtime } = turn;
    // The MCP tools ready when the turn's first call is made are its tools until it ends: a server
    // that becomes ready later joins at the next turn, so every call of a turn offers the same tools
    // and the turn's cached prefix holds. A slow server never holds the turn up.
    if (turn.mcpTools === null) {
      const servers = threadMcpServers(runtime.state.settings, this.env.mcp.configured()).names;
      this.env.mcp.ensureStarted(servers);
      turn.mcpTools = this.env.mcp.tools(servers);
    }
    return runModelCall({
      ...this.callBase(turn, provider, { modelProvider, model }, limits, signal),
      options: turn.options,
      tools: [
        ...this.env.tools.definitions(provider.toolFamily, provider.freeformTools?.(model) ?? false),
        ...clientToolDefinitions(runtime.state.settings.dynamicTools, turn.options.mode === 'plan'),
        ...mcpToolDefinitions(turn.mcpTools ?? []),
      ],
      ...(history !== null && { history }),
    });
  }

  /** What every model call of the turn shares, a turn's or a compaction's: one path (model-call.ts). */
  private callBase(turn: ActiveTurn, provider: ModelProvider, { model, modelProvider }: { modelProvider: string; model: string }, limits: CallLimits, signal: AbortSignal) {
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
        runtime.apply([this.event(runtime, { type: 'turn/error', turnId: turn.turnId, error: turnErrorFrom(error), willRetry: true })]);
      },
      onRateLimits: (rateLimits: Parameters<ModelCall['onRateLimits']>[0]) => this.env.broadcast('account/rateLimits/updated', { rateLimits }),
    };
  }

  private async finish(turn: ActiveTurn, outcome: { status: 'completed' | 'interrupted' | 'failed'; error: TurnError | null }): Promise<void> {
    const { runtime } = turn;
    turn.ending = true;
    await Promise.allSettled(turn.userCommands);
    turn.unlisten();
    // Commands the turn left running (exec sessions) end with it.
    await turn.toolState.close();
    this.active.delete(runtime.state.id);
    // A failed turn's final `error` notification comes with its turn/completed (core/codec.ts).
    for (let attempt = 0; ; attempt++) {
      try {
        runtime.apply([this.event(runtime, { type: 'turn/completed', turnId: turn.turnId, status: outcome.status, error: outcome.error })]);
        collectWhenIdle(() => this.idle());
        return;
      } catch (error) {
        const pause = END_RETRY_MS[attempt];
        if (pause === undefined) return this.env.endNotStored(runtime, turn.turnId, error);
        this.env.logger.warn({ err: error, threadId: runtime.state.id, turnId: turn.turnId, attempt }, 'the store refused the end of a turn; retrying');
        await new Promise<void>((resolve) => (this.env.clock ?? realClock).setTimeout(resolve, pause));
      }
    }
  }

  private event<B extends EventBody>(runtime: ThreadRuntime, body: B) {
    return stampEvent(runtime.state.id, this.env.now(), body);
  }
}
