// Row types of Keel's tables, as Kysely sees them.
import type { Generated } from 'kysely';

export interface EventRow {
  thread_id: string;
  seq: number;
  type: string;
  v: number;
  at: number;
  body: string;
}

export interface ThreadRow {
  id: string;
  name: string | null;
  preview: string;
  cwd: string;
  model: string;
  model_provider: string;
  reasoning_effort: string | null;
  created_at: number;
  updated_at: number;
  archived: number;
  active: number;
  forked_from_id: string | null;
  cli_version: string;
  last_seq: Generated<number>;
  /** The summary fold's bookkeeping (projections/summary-fold.ts); pending_writes is JSON, NULL when not kept yet. */
  active_turn_id: string | null;
  pending_writes: string | null;
}

export interface CheckpointRow {
  thread_id: string;
  seq: number;
  v: number;
  body: string;
}

export interface Tables {
  events: EventRow;
  threads: ThreadRow;
  checkpoints: CheckpointRow;
}
