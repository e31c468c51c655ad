// The part of a thread that lists show and the store indexes. thread/list builds Thread objects
// from stored summaries and thread/read from live state, both through `threadSnapshot`.
import type { ReasoningEffort } from './protocol-types.js';
import type { VisibleSettings } from './events.js';
import type { ThreadState } from './state.js';

export interface ThreadSummary {
  id: string;
  name: string | null;
  preview: string;
  cwd: string;
  model: string;
  modelProvider: string;
  reasoningEffort: ReasoningEffort | null;
  createdAtMs: number;
  updatedAtMs: number;
  archived: boolean;
  /** A turn or a file write is in progress (used to close what a crash left open). */
  active: boolean;
  ephemeral: boolean;
  forkedFromId: string | null;
  cliVersion: string;
}

/** Needs only the visible settings, so a client's folded state summarises the same way. */
export function summaryOf(thread: ThreadState<VisibleSettings>): ThreadSummary {
  return {
    id: thread.id,
    name: thread.name,
    preview: thread.preview,
    cwd: thread.settings.cwd,
    model: thread.settings.model,
    modelProvider: thread.settings.modelProvider,
    reasoningEffort: thread.settings.reasoningEffort,
    createdAtMs: thread.createdAtMs,
    updatedAtMs: thread.updatedAtMs,
    archived: thread.archived,
    active: thread.activeTurnId !== null || (thread.pendingWrites?.length ?? 0) > 0,
    ephemeral: thread.origin.ephemeral,
    forkedFromId: thread.origin.forkedFromId,
    cliVersion: thread.origin.cliVersion,
  };
}
