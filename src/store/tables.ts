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
  /** 1 once the thread had a turn (migration 5): thread/list lists no other, as Codex. */
  has_turns: Generated<number>;
}

/** One searchable item of a thread (projections/search-fold.ts); its full-text index is `thread_search_fts` (SQLite). */
export interface SearchDocRow {
  id: Generated<number>;
  thread_id: string;
  turn_id: string;
  item_id: string;
  kind: string;
  text: string;
  /** When the item completed (ms): rows are inserted in this order. */
  at: number;
}

export interface CheckpointRow {
  thread_id: string;
  seq: number;
  v: number;
  body: string;
}

/** A Keel process that runs threads, and how long its leases last unless it beats again. */
export interface OwnerRow {
  owner_id: string;
  pid: number;
  host: string;
  /** Its identity beyond the pid (kernel/liveness.ts); null where there is no /proc. */
  start_time: string | null;
  boot_id: string | null;
  /** Where it takes forwarded requests; null: nowhere. */
  address: string | null;
  started_at: number;
  heartbeat_at: number;
  expires_at: number;
}

export interface LeaseRow {
  thread_id: string;
  owner_id: string;
  taken_at: number;
}

/** Migration 6: a thread section; `appearance` is its JSON ({color, icon}) or NULL. */
export interface SectionRow {
  id: string;
  name: string;
  appearance: string | null;
  created_at: number;
}

/** Which section a thread is in, and its place there (ascending). */
export interface SectionMemberRow {
  thread_id: string;
  section_id: string;
  position: number;
}

/** Migration 6: an attachment of a thread; `payload` is its JSON. */
export interface AttachmentRow {
  id: string;
  thread_id: string;
  attachment_type: string;
  identity_key: string;
  payload: string;
  created_at: number;
}

export interface Tables {
  events: EventRow;
  threads: ThreadRow;
  checkpoints: CheckpointRow;
  keel_owners: OwnerRow;
  thread_leases: LeaseRow;
  thread_sections: SectionRow;
  thread_section_members: SectionMemberRow;
  thread_attachments: AttachmentRow;
  thread_search_docs: SearchDocRow;
}
