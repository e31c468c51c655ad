// Keel's events: the only input to the reducer, and what the store's log holds. Every event
// carries its full key (threadId, and turnId/itemId where it concerns one) and a schema version.
import type {
  AskForApproval,
  ReasoningEffort,
  SandboxPolicy,
  ThreadItem,
  TurnError,
  TurnStatus,
} from './protocol-types.js';
import type { JsonValue } from '../protocol/schemas/common.js';

export type { JsonValue };
import type { DynamicToolSpec } from './protocol-types.js';
import type { TurnRecord } from './state.js';

/** Bumped when an event's stored shape changes; event-versions.ts upgrades older events on read. */
export const EVENT_VERSION = 5;

/** The settings every reader of a thread knows: the wire's Thread object carries them. */
export interface VisibleSettings {
  cwd: string;
  model: string;
  modelProvider: string;
  reasoningEffort: ReasoningEffort | null;
}

/** What a thread runs with; set at creation, changed by resume/fork/turn overrides. The server knows all of it. */
export interface ThreadSettings extends VisibleSettings {
  approvalPolicy: AskForApproval;
  sandbox: SandboxPolicy;
  baseInstructions: string | null;
  developerInstructions: string | null;
  config: Record<string, JsonValue> | null;
  /** Tools the client runs (thread/start.dynamicTools), offered to the model on every turn; absent: none. */
  dynamicTools?: DynamicToolSpec[];
  /** The service tier the client asked for (`flex`, `priority`…), sent to providers that take one; absent: none (part "turns"). */
  serviceTier?: string | null;
}

/**
 * The settings a client folding the wire can know: the visible ones, and the rest only where a
 * notification carried them (absent = not known to this reader).
 */
export type ClientSettings = VisibleSettings & Partial<Omit<ThreadSettings, keyof VisibleSettings>>;

export interface ThreadOrigin {
  ephemeral: boolean;
  cliVersion: string;
  forkedFromId: string | null;
}

interface Base {
  v: typeof EVENT_VERSION;
  threadId: string;
  /** Unix milliseconds, stamped by the engine (core never reads a clock). */
  at: number;
}

export type DeltaChannel = 'agentMessage' | 'reasoningSummary' | 'reasoningText' | 'commandOutput' | 'plan';

/** Which tool vocabulary a call was made in (tools/toolsets): it decides how history is replayed to a model. */
export type ToolFamily = 'openai' | 'anthropic' | 'generic';

/**
 * The model's own tool call behind an item, kept (not on the wire) so the next model call can be
 * given the call as it was made — or, on another family's model, translated (tools/replay.ts).
 */
export interface ToolCallRecord {
  callId: string;
  name: string;
  /** As the model sent them: JSON arguments, or the raw text of a freeform call. */
  arguments: string;
  family: ToolFamily;
  /** A freeform call: `arguments` is the raw text the model sent. */
  freeform?: boolean;
  /**
   * The first call of its model response: the calls before it were another response's, and the
   * history gives them their results before this one (absent in logs older than the field).
   */
  opensResponse?: true;
}

/**
 * A reasoning item's provider record, kept with it in the log (never on the wire): which provider
 * and model reasoned, and the provider's own data for it (encrypted content, a signed thinking
 * block), opaque here — providers/types.ts `ReasoningCarry` gives its shapes.
 */
export interface CarriedReasoning {
  provider: string;
  model: string;
  data: { readonly wire: string } & Readonly<Record<string, JsonValue>>;
}

/**
 * What the model reads before a turn's input that is not a thread item (engine/turns/turn-context.ts):
 * Keel's prompt or the thread's base instructions, the client's developer instructions, the
 * AGENTS.md files, the environment, the turn's mode. A turn keeps the messages it added (the first
 * turn all of them, a later one what changed) so every later request rebuilds them where they were
 * first sent. `ended`: a note that its kind no longer applies (Plan mode is over, no AGENTS.md now).
 */
/** A message injected into the model's history (thread/inject_items), provider-neutral. */
export interface InjectedMessage {
  role: 'user' | 'assistant' | 'developer';
  text: string;
}

export interface ContextMessage {
  kind: 'instructions' | 'developer' | 'agents' | 'environment' | 'mode';
  text: string;
  ended?: true;
}

/** One model call's token usage as its provider reported it (the wire's TokenUsageBreakdown). */
export interface CallUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

/** The provider and model a model call went to. */
export interface ModelRoute {
  provider: string;
  model: string;
}

/** A file a tool changed: as it was before (null: it did not exist) and after (null: deleted). */
export interface FileUndo {
  path: string;
  movePath: string | null;
  before: string | null;
  after: string | null;
}

/**
 * File writes recorded before the first of them began (`item/writeIntent`, or a `thread/reverted`
 * that restores files) and not yet recorded done: the before-image and the new content of each
 * file, in the order written. A thread loaded with one left over was stopped mid-write; recovery
 * puts every file it lists back where the log says it must be (ThreadRegistry.load).
 */
export interface PendingWrite {
  /** The tool item writing them; null for a revert's restore. */
  turnId: string | null;
  itemId: string | null;
  changes: FileUndo[];
}

/** One step of the turn's plan (`update_plan`), as `turn/plan/updated` carries it. */
export interface PlanStep {
  step: string;
  status: 'pending' | 'inProgress' | 'completed';
}

/** What Keel asked the client and waits on: an approval, or the user's answers to the model's questions. */
export type RequestKind = 'commandApproval' | 'fileChangeApproval' | 'mcpToolApproval' | 'userInput';

/**
 * Who settled a request: the client's answer, the approval timeout, the turn's end, no client
 * able to answer, or (with no question asked) a decision the client made earlier — for the thread
 * (`session`) or as a command-prefix rule (`rule`).
 */
export type RequestSettler = 'client' | 'timeout' | 'turnEnded' | 'noClient' | 'session' | 'rule';

/** A thread's Git metadata (Thread.gitInfo); each field null when not known. */
export interface GitInfoState {
  sha: string | null;
  branch: string | null;
  originUrl: string | null;
}

/** A goal's status, as Codex's ThreadGoalStatus. */
export type GoalStatus = 'active' | 'paused' | 'blocked' | 'usageLimited' | 'budgetLimited' | 'complete';

/**
 * A thread's goal (Codex's ThreadGoal): what the user or the model set, and the usage the
 * reducer accounts to it while it is active (tokens of the thread's model calls, time of its turns).
 */
export interface GoalState {
  objective: string;
  status: GoalStatus;
  tokenBudget: number | null;
  tokensUsed: number;
  timeUsedMs: number;
  createdAtMs: number;
  updatedAtMs: number;
}

/** `S`: what the reader knows of settings — everything on the server, the visible part on a client. */
export type KeelEvent<S extends VisibleSettings = ThreadSettings> =
  | (Base & { type: 'thread/created'; settings: S; origin: ThreadOrigin; turns?: TurnRecord[]; name?: string | null })
  | (Base & { type: 'thread/settingsChanged'; settings: Partial<S> })
  | (Base & { type: 'thread/renamed'; name: string })
  | (Base & { type: 'thread/archived' })
  | (Base & { type: 'thread/unarchived' })
  /** `restore` (stored only): the dropped turns' file changes, oldest first, that `restoreFiles` is about to undo. */
  | (Base & { type: 'thread/reverted'; beforeTurnId: string; restore?: FileUndo[] })
  /** The restore a `thread/reverted` recorded is done (stored only). */
  | (Base & { type: 'thread/filesRestored' })
  | (Base & { type: 'thread/deleted' })
  | (Base & { type: 'turn/started'; turnId: string; model: string | null })
  /** The context messages a turn adds before its input (stored only; see ContextMessage). */
  | (Base & { type: 'turn/context'; turnId: string; context: ContextMessage[] })
  | (Base & { type: 'turn/completed'; turnId: string; status: Exclude<TurnStatus, 'inProgress'>; error: TurnError | null })
  /**
   * One model call's usage (`last`), with the window of the model called. `route` (stored only):
   * who answered, for the thread's cost; absent on events folded from the wire and in logs before
   * v4. `total`: only on events folded from the wire, the server's running total (a client may
   * have joined late); otherwise the reducer sums the thread's calls. `compaction` (stored only):
   * a compaction's call, whose prompt was the old history, not what the next call sends — it
   * leaves the context mark (state.ts UsageMark) where it was.
   */
  | (Base & { type: 'turn/tokenUsage'; turnId: string; last: CallUsage; modelContextWindow: number | null; route?: ModelRoute; total?: CallUsage; compaction?: true })
  | (Base & { type: 'turn/error'; turnId: string; error: TurnError; willRetry: boolean })
  | (Base & { type: 'turn/planUpdated'; turnId: string; explanation: string | null; plan: PlanStep[] })
  | (Base & { type: 'turn/diffUpdated'; turnId: string; diff: string })
  | (Base & { type: 'item/started'; turnId: string; itemId: string; item: ThreadItem; call?: ToolCallRecord })
  /**
   * `parts` (stored only): the lengths of the consecutive streamed deltas this one joins, in order —
   * the log keeps a run of deltas as one row, and each part keeps its own seq (ThreadRuntime).
   */
  | (Base & { type: 'item/delta'; turnId: string; itemId: string; channel: DeltaChannel; index: number; delta: string; parts?: number[] })
  | (Base & { type: 'item/summaryPartAdded'; turnId: string; itemId: string; index: number })
  /**
   * A tool item is about to write files (stored only, before the first write): the changes, each
   * file's before-image and new content. The item's completion closes it; left open, recovery
   * undoes it.
   */
  | (Base & { type: 'item/writeIntent'; turnId: string; itemId: string; changes: FileUndo[] })
  /**
   * `modelOutput`: for a tool item, exactly what the model was given back for its call. `undo`:
   * the files it changed; absent after an `item/writeIntent`, whose changes become the item's undo
   * when it completes with status `completed`. `carry`: for a reasoning item, the provider's own
   * record of it (encrypted content, signed thinking), sent back to that provider's models.
   */
  | (Base & { type: 'item/completed'; turnId: string; itemId: string; item: ThreadItem; modelOutput?: string; undo?: FileUndo[]; carry?: CarriedReasoning })
  /** A question put to the client about an item (`subject`: the command, or the files). */
  | (Base & { type: 'request/opened'; turnId: string; itemId: string; requestKey: string; kind: RequestKind; subject: string | null; reason: string | null })
  /** Its answer (`decision`: as the client gave it, e.g. `accept`), or a remembered decision applied without asking. */
  | (Base & { type: 'request/resolved'; turnId: string; itemId: string; requestKey: string; kind: RequestKind; decision: string; by: RequestSettler; subject: string | null })
  // ---- issue 25, part "meta": Git metadata and goals (event version 5) ----
  /** thread/metadata/update: a field set to a string replaces it, set to null clears it; absent: kept. */
  | (Base & { type: 'thread/gitInfoUpdated'; gitInfo: Partial<GitInfoState> })
  /** The goal as it now is, set by a client (turnId null) or by the model's goal tools in a turn. */
  | (Base & { type: 'thread/goalUpdated'; turnId: string | null; goal: GoalState })
  | (Base & { type: 'thread/goalCleared' })
  // Part "turns" (issue 25): thread/inject_items.
  /**
   * Messages a client added to the history the model sees (thread/inject_items), after the turn
   * `afterTurnId` (null: before the first turn). Stored only: Codex announces no notification for it.
   */
  | (Base & { type: 'thread/itemsInjected'; afterTurnId: string | null; items: InjectedMessage[] });

export type EventType = KeelEvent['type'];
export type EventOf<T extends EventType, S extends VisibleSettings = ThreadSettings> = Extract<KeelEvent<S>, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event without its stamp: what the engine decides; `stampEvent` adds version, thread and time. */
export type EventBody<S extends VisibleSettings = ThreadSettings> = DistributiveOmit<KeelEvent<S>, 'v' | 'threadId' | 'at'>;

/** The one place events get their version, thread and time (core never reads a clock itself). */
export function stampEvent<B extends EventBody<VisibleSettings>>(threadId: string, at: number, body: B): B & Base {
  // Not `{ ...body, … }`: bodies of every event type pass here, and V8's object spread on so many
  // shapes takes its slow path — about 20× slower than this, on the path of every streamed delta.
  const event = Object.assign({}, body) as B & Base;
  event.v = EVENT_VERSION;
  event.threadId = threadId;
  event.at = at;
  return event;
}

/** Events kept only live: they change no state a snapshot shows, so the log skips them. */
export function isTransient(event: KeelEvent<VisibleSettings>): boolean {
  return event.type === 'turn/error' || event.type === 'thread/deleted';
}

/** Deltas are written to the log as runs of consecutive deltas of one item and channel; see app-server.md "Deltas". */
export function isDelta<S extends VisibleSettings>(event: KeelEvent<S>): event is EventOf<'item/delta', S> {
  return event.type === 'item/delta';
}

/** How many event sequence numbers a stored event covers: a run of deltas covers one per part. */
export function seqSpan(event: KeelEvent<VisibleSettings>): number {
  return event.type === 'item/delta' && event.parts !== undefined ? event.parts.length : 1;
}

/** A stored run of deltas as the deltas it joins, each with the text it carried live. */
export function splitDeltaRun<S extends VisibleSettings>(event: EventOf<'item/delta', S>): Array<EventOf<'item/delta', S>> {
  const { parts, ...single } = event;
  if (parts === undefined) return [event];
  const out: Array<EventOf<'item/delta', S>> = [];
  let offset = 0;
  for (const length of parts) {
    out.push({ ...single, delta: event.delta.slice(offset, offset + length) } as EventOf<'item/delta', S>);
    offset += length;
  }
  return out;
}
