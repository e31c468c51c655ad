// A turn while it runs: what its lifecycle (turn-engine.ts) and its model loop (model-loop.ts)
// share — its abort, why it is being stopped, the model call in flight, its tools.
import { stampEvent, type EventBody, type ToolFamily } from '../../core/events.js';
import type { TurnError } from '../../core/protocol-types.js';
import type { TurnToolState } from '../../tools/tool.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import type { TurnOptions } from './model-call.js';
import type { AnyCallTools } from './tool-source.js';

export type TurnOutcome = { status: 'completed' | 'interrupted' | 'failed'; error: TurnError | null };

export interface ActiveTurn {
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
  /** The tools the turn offers, fixed at its first model call (null before it): the ones its calls may use. */
  tools: AnyCallTools | null;
  /** Set once a context-window overflow was answered by compacting (it is retried once). */
  compactedForOverflow: boolean;
}

/** Stops the turn (the first reason given is the one it ends with): what it runs sees its signal. */
export function halt(turn: ActiveTurn, stop: NonNullable<ActiveTurn['stop']>): void {
  turn.stop ??= stop;
  turn.abort.abort(new Error(stop.status));
}

/** An event of the turn's thread, stamped now. */
export function turnEvent<B extends EventBody>(runtime: ThreadRuntime, now: number, body: B) {
  return stampEvent(runtime.state.id, now, body);
}
