// Runs the tool calls of one model response, as a harness should:
// - Calls that only read (Tool.readOnly: file reads, listings, searches, a command the read-only
//   classifier vouches for; an MCP tool annotated readOnlyHint) run side by side when they come one
//   after another; any other call waits for the calls before it and holds back those after it, so
//   writes happen in the model's order and every read sees the writes the model made before it.
// - Items go out in call order: a call's item/started (and whatever follows it) is held until every
//   call before it has shown its own (the items' order is the order of the results the model is
//   sent, conversation.ts). Approval questions are asked one at a time, in call order: a call's
//   first check waits until the calls before it have shown their items, and one check runs at a time.
// - An interrupt ends them all: the running calls see the turn's signal and complete their items;
//   the calls not begun are not run.
// - The first call is marked as opening its response (ToolCallRecord.opensResponse): the history
//   gives each response's calls their results before the next response's calls (conversation.ts).
// - Each call gets an item id of its own: the model's call id, unless it sent none or one this
//   thread already has (some Chat Completions endpoints do) — then a fresh one. The call id the model
//   sent stays with the item (`call`) for the history; with none, the fresh id stands for it in both
//   the call and its result.
import type { ToolCallRecord } from '../../core/events.js';
import { map } from '../../core/plist.js';
import type { ThreadState } from '../../core/state.js';
import type { GateDecision, GateRequest, ToolGate } from '../../tools/gate.js';
import type { ToolCall, ToolContext, ToolFamily, ToolResult, TurnToolState } from '../../tools/tool.js';
import type { EditorWorkspace } from '../../tools/workspace.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import type { ToolCallRequest } from './response-recorder.js';
import { runToolCall, type CallSlot } from './tool-call.js';

/** How one call runs (a tool source's answer, tool-source.ts): its executor, and whether it only reads. */
export interface CallPlan {
  /** Runs the call, showing it as its source's item: started through ctx.report, completed as the result's item. */
  execute(ctx: ToolContext): Promise<ToolResult>;
  readOnly: boolean;
}

export interface ToolCallsRun {
  runtime: ThreadRuntime;
  turnId: string;
  calls: readonly ToolCallRequest[];
  /** The tool family of the model that made the calls (kept with each item for replay). */
  family: ToolFamily;
  /** How a call runs (its id already the item's). */
  plan(call: ToolCall): CallPlan;
  gate: ToolGate;
  turnState: TurnToolState;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** The editor lending the thread its files or terminal (ACP); absent: Keel's own. */
  workspace?: EditorWorkspace;
  now(): number;
  newId(): string;
}

export async function runToolCalls(run: ToolCallsRun): Promise<void> {
  const calls = withItemIds(run.calls, run.runtime.state, run.newId, run.family).map((entry) => ({ ...entry, plan: run.plan(entry.call) }));
  for (const group of groups(calls)) {
    if (run.signal.aborted) return;
    if (group.length === 1) {
      await runOne(run, group[0]!, run.gate, undefined);
      continue;
    }
    const slots = startOrder(group.length);
    const oneAtATime = lock();
    // Every call of the group ends before the turn goes on, even when one fails (a write the store refused).
    const ended = await Promise.allSettled(group.map((entry, index) => runOne(run, entry, orderedGate(run.gate, slots[index]!, oneAtATime), slots[index])));
    const failed = ended.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

type Entry = { call: ToolCall; record: ToolCallRecord; plan: CallPlan };

function runOne(run: ToolCallsRun, entry: Entry, gate: ToolGate, order: CallSlot | undefined): Promise<void> {
  return runToolCall({
    runtime: run.runtime,
    turnId: run.turnId,
    call: entry.call,
    record: entry.record,
    execute: entry.plan.execute,
    gate,
    turnState: run.turnState,
    signal: run.signal,
    env: run.env,
    ...(run.workspace && { workspace: run.workspace }),
    now: run.now,
    ...(order && { order }),
  });
}

/** Runs of consecutive read-only calls together; every other call alone. */
function groups(calls: Entry[]): Entry[][] {
  const out: Entry[][] = [];
  for (const entry of calls) {
    const last = out.at(-1);
    if (entry.plan.readOnly && last !== undefined && last[0]!.plan.readOnly) last.push(entry);
    else out.push([entry]);
  }
  return out;
}

/**
 * Each call with its item id (the call as the tool sees it) and the record kept for the history:
 * the id the model sent, or, when it sent none, the generated one.
 */
export function withItemIds(calls: readonly ToolCallRequest[], thread: ThreadState, newId: () => string, family: ToolFamily): Array<{ call: ToolCall; record: ToolCallRecord }> {
  const taken = new Set<string>();
  for (const turn of map(thread.turns, (t) => t)) for (const entry of map(turn.items, (e) => e)) taken.add(entry.item.id);
  return calls.map((call, index) => {
    const historyId = call.callId === '' ? newId() : call.callId;
    const itemId = taken.has(historyId) ? newId() : historyId;
    taken.add(itemId);
    return { call: { ...call, callId: itemId }, record: { ...call, callId: historyId, family, ...(index === 0 && { opensResponse: true as const }) } };
  });
}

/** The slots of `count` calls running side by side: each opens once the one before it is open and has started its item. */
function startOrder(count: number): CallSlot[] {
  const slots: CallSlot[] = [];
  let previous: Promise<void> = Promise.resolve();
  for (let i = 0; i < count; i++) {
    let open = false;
    const held: Array<() => void> = [];
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const slot: CallSlot = {
      error: null,
      get isOpen() {
        return open;
      },
      open: previous.then(() => {
        open = true;
        for (const emit of held.splice(0)) {
          try {
            emit();
          } catch (error) {
            // A write the store refused: the call rethrows it when it ends (and the turn is fenced).
            slot.error ??= error;
          }
        }
      }),
      emit: (event) => (open ? event() : void held.push(event)),
      started: markStarted,
    };
    previous = slot.open.then(() => started);
    slots.push(slot);
  }
  return slots;
}

/** The gate of a call running beside others: it checks once the calls before it have shown their items, one check at a time. */
function orderedGate(inner: ToolGate, slot: CallSlot, oneAtATime: <T>(task: () => Promise<T>) => Promise<T>): ToolGate {
  return {
    async check(request: GateRequest, signal: AbortSignal): Promise<GateDecision> {
      await slot.open;
      return oneAtATime(() => inner.check(request, signal));
    },
  };
}

/** A mutex: tasks run one at a time, in the order they asked. */
function lock(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
}
