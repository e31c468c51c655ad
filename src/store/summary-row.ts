// The `threads` row and the summary it holds, both ways.
import type { ReasoningEffort } from '../core/protocol-types.js';
import type { ThreadSummary } from '../core/summary.js';
import type { SummaryRow } from './projections/summary-fold.js';
import type { ThreadRow } from './tables.js';

type SummaryColumns = Omit<ThreadRow, 'last_seq' | 'active_turn_id' | 'pending_writes' | 'has_turns'>;

export function summaryToRow(summary: ThreadSummary): SummaryColumns {
  return {
    id: summary.id,
    name: summary.name,
    preview: summary.preview,
    cwd: summary.cwd,
    model: summary.model,
    model_provider: summary.modelProvider,
    reasoning_effort: summary.reasoningEffort,
    created_at: summary.createdAtMs,
    updated_at: summary.updatedAtMs,
    archived: summary.archived ? 1 : 0,
    active: summary.active ? 1 : 0,
    forked_from_id: summary.forkedFromId,
    cli_version: summary.cliVersion,
  };
}

export function rowToSummary(row: SummaryColumns): ThreadSummary {
  return {
    id: row.id,
    name: row.name,
    preview: row.preview,
    cwd: row.cwd,
    model: row.model,
    modelProvider: row.model_provider,
    reasoningEffort: row.reasoning_effort as ReasoningEffort | null,
    createdAtMs: row.created_at,
    updatedAtMs: row.updated_at,
    archived: row.archived === 1,
    active: row.active === 1,
    ephemeral: false,
    forkedFromId: row.forked_from_id,
    cliVersion: row.cli_version,
  };
}

/** The fold's row with its bookkeeping; undefined when the row predates it (seeded from state then). */
export function rowToSummaryRow(row: Omit<ThreadRow, 'last_seq' | 'has_turns'>): SummaryRow | undefined {
  if (row.pending_writes === null) return undefined;
  return { ...rowToSummary(row), activeTurnId: row.active_turn_id, pendingWrites: JSON.parse(row.pending_writes) as string[] };
}

export function summaryRowToRow(row: SummaryRow): Omit<ThreadRow, 'last_seq' | 'has_turns'> {
  return { ...summaryToRow(row), active_turn_id: row.activeTurnId, pending_writes: JSON.stringify(row.pendingWrites) };
}
