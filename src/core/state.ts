// Reducer state for one thread. Plain data: serialisable records plus persistent lists.
import type { CallUsage, CarriedReasoning, ClientSettings, ContextMessage, GitInfoState, GoalState, InjectedMessage, ModelRoute, FileUndo, PendingWrite, PlanStep, RequestKind, RequestSettler, ThreadOrigin, ThreadSettings, ToolCallRecord, VisibleSettings } from './events.js';
import { emptyList, get, indexOfKey, type PList } from './plist.js';
import type { ThreadItem, ThreadTokenUsage, TurnError, TurnStatus } from './protocol-types.js';

export interface ItemState {
  readonly item: ThreadItem;
  readonly startedAtMs: number | null;
  readonly completedAtMs: number | null;
  /** The tool call behind a tool item, and what the model was given back (not on the wire). */
  readonly call?: ToolCallRecord;
  readonly modelOutput?: string;
  /** Files a tool item changed, before and after (for revert). */
  readonly undo?: FileUndo[];
  /** A reasoning item's provider record (not on the wire): sent back to models of the same family. */
  readonly carry?: CarriedReasoning;
}

/** Token usage summed over the calls that went to one provider and model (route null: not known). */
export interface RouteUsage {
  readonly route: ModelRoute | null;
  readonly usage: CallUsage;
}

/**
 * Where the thread stood when a provider last reported the usage of a call whose prompt was the
 * thread's context (not a compaction's): what it reported, and how many items that turn had then —
 * the items after them were added since.
 */
export interface UsageMark {
  readonly turnId: string;
  readonly items: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One question put to the client (or a remembered decision applied): the turn's audit trail. */
export interface RequestRecord {
  readonly key: string;
  readonly kind: RequestKind;
  readonly itemId: string;
  readonly subject: string | null;
  readonly reason: string | null;
  /** Null for a remembered decision: nobody was asked. */
  readonly requestedAtMs: number | null;
  /** Null while the client has not answered. */
  readonly decision: string | null;
  readonly by: RequestSettler | null;
  readonly resolvedAtMs: number | null;
}

export interface TurnState {
  readonly id: string;
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  readonly startedAtMs: number | null;
  readonly completedAtMs: number | null;
  readonly model: string | null;
  readonly items: PList<ItemState>;
  /** The latest `update_plan` and aggregate diff of the turn (not in the Turn object). */
  readonly plan?: { explanation: string | null; steps: PlanStep[] };
  readonly diff?: string;
  /** Approvals and questions, in the order asked (absent: none). */
  readonly requests?: readonly RequestRecord[];
  /** What the turn added to the model's context before its input (server only; absent: nothing, or a thread older than it). */
  readonly context?: readonly ContextMessage[];
  /** The turn's model calls' usage, per provider and model (absent: none reported). */
  readonly usage?: readonly RouteUsage[];
  /** Messages injected after the turn (thread/inject_items; server only; absent: none). */
  readonly injected?: readonly InjectedMessage[];
}

/** A turn as plain JSON, for fork events (a copied history) and for clients. */
export interface TurnRecord {
  id: string;
  status: TurnStatus;
  error: TurnError | null;
  startedAtMs: number | null;
  completedAtMs: number | null;
  model: string | null;
  items: ItemState[];
  plan?: TurnState['plan'];
  diff?: string;
  requests?: readonly RequestRecord[];
  context?: readonly ContextMessage[];
  usage?: readonly RouteUsage[];
  injected?: readonly InjectedMessage[];
}

/** `S`: what the reader knows of the thread's settings (all of them on the server). */
export interface ThreadState<S extends VisibleSettings = ThreadSettings> {
  readonly id: string;
  readonly settings: S;
  readonly origin: ThreadOrigin;
  readonly name: string | null;
  readonly preview: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly archived: boolean;
  readonly turns: PList<TurnState>;
  readonly activeTurnId: string | null;
  /** As thread/tokenUsage/updated carries it: the last call's usage and the thread's total (summed by the reducer). */
  readonly tokenUsage: ThreadTokenUsage | null;
  /** The thread's own model calls' usage per provider and model, for its cost (absent: none). */
  readonly usage?: readonly RouteUsage[];
  /** Where the thread stood at the last usage report (context accounting, compaction.ts). */
  readonly usageMark?: UsageMark;
  /** File writes begun and not recorded done (server only; absent: none). */
  readonly pendingWrites?: readonly PendingWrite[];
  /** thread/metadata/update's Git metadata (absent: never set). */
  readonly gitInfo?: GitInfoState;
  /** The thread's goal (absent: none). */
  readonly goal?: GoalState;
  /** Messages injected before the first turn (thread/inject_items; server only; absent: none). */
  readonly injected?: readonly InjectedMessage[];
}

/** Every thread a client or server tracks, keyed by thread id. */
export interface KeelState<S extends VisibleSettings = ThreadSettings> {
  readonly threads: Readonly<Record<string, ThreadState<S>>>;
}

export const emptyKeelState: KeelState = { threads: {} };

/** Where a client folding the wire starts (see codec.ts). */
export const emptyClientState: KeelState<ClientSettings> = { threads: {} };

export function newTurnState(id: string, startedAtMs: number, model: string | null): TurnState {
  return { id, status: 'inProgress', error: null, startedAtMs, completedAtMs: null, model, items: emptyList() };
}

/** The current state of one item, if the thread has it. */
export function findItem(thread: ThreadState<VisibleSettings>, turnId: string, itemId: string): ItemState | undefined {
  const turn = get(thread.turns, indexOfKey(thread.turns, turnId, (t) => t.id));
  return turn && get(turn.items, indexOfKey(turn.items, itemId, (e) => e.item.id));
}
