import type { ReasoningEffort } from '../core/protocol-types.js';
import type { ThreadSummary } from '../core/summary.js';
import type { ThreadRow } from './tables.js';

export function summaryToRow(summary: ThreadSummary): Omit<ThreadRow, 'last_seq'> {
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

export function rowToSummary(row: Omit<ThreadRow, 'last_seq'>): ThreadSummary {
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
