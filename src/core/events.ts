// Keel's events: the only input to the reducer, and what the store's log holds. Every event
// carries its full key (threadId, and turnId/itemId where it concerns one) and a schema version.
import type {
  AskForApproval,
  ReasoningEffort,
  SandboxPolicy,
  ThreadItem,
  ThreadTokenUsage,
  TurnError,
  TurnStatus,
} from './protocol-types.js';
import type { JsonValue } from '../protocol/schemas/common.js';
import type { TurnRecord } from './state.js';

export const EVENT_VERSION = 1;

/** What a thread runs with; set at creation, changed by resume/fork overrides. */
export interface ThreadSettings {
  cwd: string;
  model: string;
  modelProvider: string;
  approvalPolicy: AskForApproval;
  sandbox: SandboxPolicy;
  reasoningEffort: ReasoningEffort | null;
  baseInstructions: string | null;
  developerInstructions: string | null;
  config: Record<string, JsonValue> | null;
}

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

export type KeelEvent =
  | (Base & { type: 'thread/created'; settings: ThreadSettings; origin: ThreadOrigin; turns?: TurnRecord[]; name?: string | null })
  | (Base & { type: 'thread/settingsChanged'; settings: Partial<ThreadSettings> })
  | (Base & { type: 'thread/renamed'; name: string })
  | (Base & { type: 'thread/archived' })
  | (Base & { type: 'thread/unarchived' })
  | (Base & { type: 'thread/reverted'; beforeTurnId: string })
  | (Base & { type: 'thread/deleted' })
  | (Base & { type: 'turn/started'; turnId: string; model: string | null })
  | (Base & { type: 'turn/completed'; turnId: string; status: Exclude<TurnStatus, 'inProgress'>; error: TurnError | null })
  | (Base & { type: 'turn/tokenUsage'; turnId: string; usage: ThreadTokenUsage })
  | (Base & { type: 'turn/error'; turnId: string; error: TurnError; willRetry: boolean })
  | (Base & { type: 'item/started'; turnId: string; itemId: string; item: ThreadItem })
  | (Base & { type: 'item/delta'; turnId: string; itemId: string; channel: DeltaChannel; index: number; delta: string })
  | (Base & { type: 'item/summaryPartAdded'; turnId: string; itemId: string; index: number })
  | (Base & { type: 'item/completed'; turnId: string; itemId: string; item: ThreadItem });

export type EventType = KeelEvent['type'];
export type EventOf<T extends EventType> = Extract<KeelEvent, { type: T }>;

/** Events kept only live: they change no state a snapshot shows, so the log skips them. */
export function isTransient(event: KeelEvent): boolean {
  return event.type === 'turn/error' || event.type === 'thread/deleted';
}

/** Deltas are written to the log coalesced per item and channel; see app-server.md "Deltas". */
export function isDelta(event: KeelEvent): event is EventOf<'item/delta'> {
  return event.type === 'item/delta';
}
