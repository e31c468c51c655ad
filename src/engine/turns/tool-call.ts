// Runs one tool call of a turn and records it in the thread: the tool's item started (with the
// model's call kept for replay), its output streamed, and exactly one item/completed carrying what
// the model is told — whatever the tool does, throws or is interrupted.
//
// Streamed output has a ceiling and a pace. Only the first STREAMED_OUTPUT_MAX_BYTES of an item's
// output go out as deltas (and so into the thread's state and the log); the rest is counted and
// one last delta says how much was elided (the item's aggregatedOutput keeps head and tail). And
// while every subscriber is congested, the reporter hands the tool a promise: the command's pipe
// is not read (it blocks on it) until a client can take more, as a model's stream waits.
import { stampEvent, type EventBody, type ToolCallRecord } from '../../core/events.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import { StreamedOutputCap } from '../../tools/exec/index.js';
import type { ToolGate } from '../../tools/gate.js';
import type { ItemReporter, ToolCall, ToolContext, ToolResult, TurnToolState } from '../../tools/tool.js';
import type { EditorWorkspace } from '../../tools/workspace.js';
import type { ThreadRuntime } from '../thread-runtime.js';

export interface ToolCallRun {
  runtime: ThreadRuntime;
  turnId: string;
  call: ToolCall;
  /** The call as the model made it, kept with the item for replay; null for the user's own commands. */
  record: ToolCallRecord | null;
  /** Runs the call (a model's call: as the tool source that claimed it runs it, tool-source.ts). */
  execute(ctx: ToolContext): Promise<ToolResult>;
  gate: ToolGate;
  turnState: TurnToolState;
  signal: AbortSignal;
  /** What the call's commands start from (shell_environment_policy). */
  env: NodeJS.ProcessEnv;
  /** The editor lending the thread its files or terminal (ACP); absent: Keel's own. */
  workspace?: EditorWorkspace;
  now(): number;
  /** Its place among calls running side by side (run-tool-calls.ts); absent: it runs alone. */
  order?: CallSlot;
}

/**
 * A call's place among calls running side by side: what it shows is held until every call before
 * it has shown its item (items go out in call order).
 */
export interface CallSlot {
  /** Runs `event` now when the slot is open, else once it opens (in order). */
  emit(event: () => void): void;
  readonly isOpen: boolean;
  /** Resolves once every call before this one has started its item. */
  readonly open: Promise<void>;
  /** This call's item has started (or the call is over): the next call may show its own. */
  started(): void;
  /** A held event that failed when it was emitted (a write the store refused): rethrown at the call's end. */
  error: unknown;
}

/** A call running alone: everything is shown at once. */
const ALONE: CallSlot = { emit: (event) => event(), isOpen: true, open: Promise.resolve(), started: () => {}, error: null };

export async function runToolCall(run: ToolCallRun): Promise<void> {
  const slot = run.order ?? ALONE;
  try {
    await runInSlot(run, slot);
  } finally {
    slot.started();
  }
  if (slot.error !== null) throw slot.error;
}

async function runInSlot(run: ToolCallRun, slot: CallSlot): Promise<void> {
  const { runtime, turnId, call } = run;
  const threadId = runtime.state.id;
  const applyNow = (body: EventBody) => runtime.apply([stampEvent(threadId, run.now(), body)]);
  const apply = (body: EventBody) => slot.emit(() => applyNow(body));
  const record = run.record === null ? {} : { call: run.record };
  let started: ThreadItem | null = null;
  const streamed = new StreamedOutputCap();
  const outputDelta = (itemId: string, delta: string) => apply({ type: 'item/delta', turnId, itemId, channel: 'commandOutput', index: 0, delta });
  const report: ItemReporter = {
    start: (item) => {
      started = item;
      apply({ type: 'item/started', turnId, itemId: item.id, item, ...record });
      slot.started();
    },
    output: (text) => {
      if (started === null) return;
      const delta = streamed.take(text);
      if (delta === '') return;
      outputDelta(started.id, delta);
      return untilSubscriberReady(runtime, run.signal) ?? undefined;
    },
    plan: (explanation, plan) => apply({ type: 'turn/planUpdated', turnId, explanation, plan }),
    diff: (diff) => apply({ type: 'turn/diffUpdated', turnId, diff }),
    intent: (changes) => {
      // Recorded before the first write, so never held back: a writing call runs alone.
      if (started === null || !slot.isOpen) throw new Error('a write intent needs its item started first');
      applyNow({ type: 'item/writeIntent', turnId, itemId: started.id, changes });
    },
  };
  let result: ToolResult;
  try {
    result = await run.execute({
      threadId,
      turnId,
      callId: call.callId,
      cwd: runtime.state.settings.cwd,
      signal: run.signal,
      report,
      gate: run.gate,
      turn: run.turnState,
      env: run.env,
      ...(run.workspace && { workspace: run.workspace }),
    });
  } catch (error) {
    result = failedResult(started, call, error);
  }
  if (started === null) apply({ type: 'item/started', turnId, itemId: result.item.id, item: result.item, ...record });
  const elided = streamed.closing();
  if (started !== null && elided !== null) outputDelta(result.item.id, elided);
  apply({ type: 'item/completed', turnId, itemId: result.item.id, item: result.item, modelOutput: result.output, ...(result.undo && { undo: result.undo }) });
}

/**
 * Null while some subscriber keeps up with the thread; else resolves once one can take more, or
 * at once when the turn is interrupted (its command is being ended: its output is read to the end).
 */
function untilSubscriberReady(runtime: ThreadRuntime, signal: AbortSignal): Promise<void> | null {
  const wait = runtime.backpressure();
  if (wait === null || signal.aborted) return null;
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void wait.then(done, done);
  });
}

/** A tool that threw: its item ends failed, and the model hears why. */
function failedResult(started: ThreadItem | null, call: ToolCall, error: unknown): ToolResult {
  const message = error instanceof Error ? error.message : String(error);
  const output = `Error: ${call.name} failed: ${message}`;
  if (started !== null && 'status' in started) return { item: { ...started, status: 'failed' } as ThreadItem, output };
  const item: ThreadItem = {
    type: 'dynamicToolCall',
    id: call.callId,
    tool: call.name,
    arguments: {} as never,
    status: 'failed',
    contentItems: [{ type: 'inputText', text: output }],
    success: false,
    durationMs: null,
  };
  return { item, output };
}
