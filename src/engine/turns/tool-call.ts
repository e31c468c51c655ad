// Runs one tool call of a turn and records it in the thread: the tool's item started (with the
// model's call kept for replay), its output streamed, and exactly one item/completed carrying what
// the model is told — whatever the tool does, throws or is interrupted.
import { stampEvent, type EventBody, type ToolCallRecord } from '../../core/events.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import type { ToolGate } from '../../tools/gate.js';
import type { ItemReporter, ToolCall, ToolContext, ToolResult, TurnToolState } from '../../tools/tool.js';
import type { ThreadRuntime } from '../thread-runtime.js';

export interface ToolCallRun {
  runtime: ThreadRuntime;
  turnId: string;
  call: ToolCall;
  /** The call as the model made it, kept with the item for replay; null for the user's own commands. */
  record: ToolCallRecord | null;
  /** Runs the call (a model's call: through the tool registry). */
  execute(ctx: ToolContext): Promise<ToolResult>;
  gate: ToolGate;
  turnState: TurnToolState;
  signal: AbortSignal;
  /** What the call's commands start from (shell_environment_policy). */
  env: NodeJS.ProcessEnv;
  now(): number;
}

export async function runToolCall(run: ToolCallRun): Promise<void> {
  const { runtime, turnId, call } = run;
  const threadId = runtime.state.id;
  const apply = (body: EventBody) => runtime.apply([stampEvent(threadId, run.now(), body)]);
  const record = run.record === null ? {} : { call: run.record };
  let started: ThreadItem | null = null;
  const report: ItemReporter = {
    start: (item) => {
      started = item;
      apply({ type: 'item/started', turnId, itemId: item.id, item, ...record });
    },
    output: (text) => {
      if (started !== null && text !== '') apply({ type: 'item/delta', turnId, itemId: started.id, channel: 'commandOutput', index: 0, delta: text });
    },
    plan: (explanation, plan) => apply({ type: 'turn/planUpdated', turnId, explanation, plan }),
    diff: (diff) => apply({ type: 'turn/diffUpdated', turnId, diff }),
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
    });
  } catch (error) {
    result = failedResult(started, call, error);
  }
  if (started === null) apply({ type: 'item/started', turnId, itemId: result.item.id, item: result.item, ...record });
  apply({ type: 'item/completed', turnId, itemId: result.item.id, item: result.item, modelOutput: result.output, ...(result.undo && { undo: result.undo }) });
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
