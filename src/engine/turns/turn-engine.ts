// Turns from beginning to end: begun (turn/start), steered, interrupted, halted, finished; the
// user's own commands and compactions as turns of their own. What runs in between is the model
// loop (model-loop.ts) with the turn's tools (tool-source.ts). Every accepted turn ends with
// exactly one turn/completed — completed, interrupted or failed — whatever happens.
import { collectWhenIdle } from '../../kernel/idle-gc.js';
import type { EventBody } from '../../core/events.js';
import type { UserInput } from '../../core/protocol-types.js';
import { ProviderError } from '../../providers/types.js';
import { DomainError, DomainErrors } from '../../kernel/errors.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import { turnErrorFrom } from './errors.js';
import type { TurnOptions } from './model-call.js';
import { turnToolState } from '../../tools/turn-state.js';
import { runToolCall } from './tool-call.js';
import { allowEverything } from '../../tools/gate.js';
import { runCommandOnce } from '../../tools/builtin/command-once.js';
import { execReport } from '../../tools/builtin/shell-tools.js';
import { recordProposedPlan, recordReview } from './closing-items.js';
import { halt, turnEvent, type ActiveTurn, type TurnOutcome } from './active-turn.js';
import { ModelLoop } from './model-loop.js';
import { realClock } from '../../kernel/clock.js';
import type { TurnEnvironment } from './turn-environment.js';

/** Pauses between attempts to store a turn's end when the store refuses it (disk full, busy). */
const END_RETRY_MS = [50, 200, 1000, 3000];

export class TurnEngine {
  private readonly active = new Map<string, ActiveTurn>();
  private readonly models: ModelLoop;

  constructor(private readonly env: TurnEnvironment) {
    this.models = new ModelLoop(env);
  }

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
        let outcome: TurnOutcome = { status: 'completed', error: null };
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
      await this.models.recordContext(turn, ['mode']);
      await this.models.compact(turn);
    });
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
      tools: null,
      compactedForOverflow: false,
    };
    // A write the store refused fences the turn (thread-runtime.ts): it ends failed, saying why.
    turn.unlisten = runtime.onWriteFailure((error) => halt(turn, { status: 'failed', error: turnErrorFrom(error) }));
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
    return () => halt(turn, { status: 'interrupted', error: null });
  }

  /** True while no turn runs anywhere. */
  idle(): boolean {
    return this.active.size === 0;
  }

  /** Interrupts every running turn and waits until each has ended (shutdown). */
  async interruptAll(): Promise<void> {
    const turns = [...this.active.values()];
    for (const turn of turns) halt(turn, { status: 'interrupted', error: null });
    await Promise.all(turns.map((turn) => turn.done));
  }

  private async run(turn: ActiveTurn): Promise<void> {
    const limits = this.env.limits();
    const clock = this.env.clock ?? realClock;
    const watchdog = clock.setTimeout(
      () => halt(turn, { status: 'failed', error: { message: `turn exceeded ${limits.turnTimeoutMs} ms`, codexErrorInfo: 'other', additionalDetails: null } }),
      limits.turnTimeoutMs,
      { unref: true },
    );
    let outcome: TurnOutcome;
    try {
      await this.models.recordContext(turn);
      await this.models.run(turn, limits);
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

  private async finish(turn: ActiveTurn, outcome: TurnOutcome): Promise<void> {
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
        // An asynchronous store's refusal comes later: the end is tried again as a synchronous store's is.
        await runtime.acknowledged();
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
    return turnEvent(runtime, this.env.now(), body);
  }
}
