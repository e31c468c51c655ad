// The thread store in memory: the same log, projections and checkpoints as the SQLite one
// (event-log.ts), in Maps. The in-process test harness runs on it (no file, no SQLite), and
// tests/store/thread-log-contract.test.ts holds both to the same contract. Events are kept as the
// JSON SQLite would keep, so a load hands back fresh objects shaped as a stored event is.
import { CHECKPOINT_VERSION, recordOf, stateFromRecord, type ThreadRecord } from '../core/checkpoint.js';
import { seqSpan, type KeelEvent } from '../core/events.js';
import type { ThreadState } from '../core/state.js';
import type { SeqEvent, StoredAround, StoredThread } from '../core/stored-thread.js';
import type { ThreadSummary } from '../core/summary.js';
import { DomainErrors } from '../kernel/errors.js';
import { CHECKPOINT_EVERY, leaseLost, seqConflict } from './event-log.js';
import type { MemoryLeaseTable } from './memory-leases.js';
import { seqEventsFromRows } from './stored-events.js';
import { foldSummary, summaryOfRow, summaryRowOf, type SummaryRow } from './projections/summary-fold.js';
import type { IndexQuery } from './thread-index.js';
import { organizerTables, type OrganizerTables } from './memory-thread-organizer.js';
import { applySearchChanges, givesTurn, searchChanges, type SearchDoc } from './projections/search-fold.js';

/** What the memory store holds; a test keeps it to damage the log as it would a database file. */
export interface MemoryTables {
  /** Per thread, its events in seq order, each at the first seq it covers, as JSON. */
  events: Map<string, Array<{ seq: number; body: string }>>;
  /** Per thread, the summary projection and the log's head. */
  threads: Map<string, { row: SummaryRow; lastSeq: number }>;
  checkpoints: Map<string, { seq: number; v: number; body: string }>;
  /** Who is told when a thread's log grows (memory-changes.ts), by thread. */
  watchers: Map<string, Set<() => void>>;
  /** Sections and attachments (memory-thread-organizer.ts). */
  organizer: OrganizerTables;
  /** Per thread, the full-text index's documents by item, in order (projections/search-fold.ts); searched by scanning. */
  search: Map<string, Map<string, SearchDoc>>;
  /** The threads that had a turn (thread/list lists no other). */
  hadTurns: Set<string>;
}

export function memoryTables(): MemoryTables {
  return { events: new Map(), threads: new Map(), checkpoints: new Map(), watchers: new Map(), organizer: organizerTables(), search: new Map(), hadTurns: new Set() };
}

export class MemoryThreadLog {
  constructor(
    readonly tables: MemoryTables = memoryTables(),
    private readonly checkpointEvery = CHECKPOINT_EVERY,
    /** As the SQLite log's fence (event-log.ts): appends to a thread whose lease another owner holds in `leases` are refused. */
    private readonly fence: { leases: MemoryLeaseTable; ownerId: string } | null = null,
  ) {}

  append(threadId: string, events: readonly KeelEvent[], state: ThreadState, firstSeq?: number): number {
    const holder = this.fence?.leases.leases.get(threadId);
    if (holder !== undefined && holder !== this.fence!.ownerId) throw leaseLost(threadId);
    const head = this.tables.threads.get(threadId);
    const lastSeq = head?.lastSeq ?? 0;
    if (firstSeq !== undefined && firstSeq !== lastSeq + 1) throw seqConflict(threadId, lastSeq, firstSeq);
    // Everything is computed before anything is kept: all or nothing, as a transaction.
    const rows: Array<{ seq: number; body: string }> = [];
    let seq = lastSeq;
    for (const event of events) {
      rows.push({ seq: seq + 1, body: JSON.stringify(event) });
      seq += seqSpan(event);
    }
    let row: SummaryRow | undefined = head?.row;
    for (const event of events) row = foldSummary(row, event);
    const log = this.tables.events.get(threadId) ?? [];
    log.push(...rows);
    this.tables.events.set(threadId, log);
    this.tables.threads.set(threadId, { row: row ?? summaryRowOf(state), lastSeq: seq });
    const docs = this.tables.search.get(threadId) ?? new Map<string, SearchDoc>();
    for (const event of events) applySearchChanges(docs, searchChanges(event));
    this.tables.search.set(threadId, docs);
    if (events.some(givesTurn)) this.tables.hadTurns.add(threadId);
    const checkpointSeq = this.tables.checkpoints.get(threadId)?.seq ?? 0;
    if (seq - checkpointSeq >= this.checkpointEvery) {
      this.tables.checkpoints.set(threadId, { seq, v: CHECKPOINT_VERSION, body: JSON.stringify(recordOf(state)) });
    }
    // After the "commit", as a database tells its listeners (memory-changes.ts).
    const watchers = this.tables.watchers.get(threadId);
    if (watchers !== undefined) queueMicrotask(() => watchers.forEach((changed) => changed()));
    return seq;
  }

  load(threadId: string): StoredThread {
    const { checkpoint, from } = this.checkpointUpTo(threadId, Infinity);
    const events = this.eventsAfter(threadId, from).map(({ event }) => event);
    return { checkpoint, events, lastSeq: this.tables.threads.get(threadId)?.lastSeq ?? 0 };
  }

  loadAround(threadId: string, afterSeq: number): StoredAround {
    const { checkpoint, from } = this.checkpointUpTo(threadId, afterSeq);
    return { checkpoint, events: this.eventsAfter(threadId, from) };
  }

  delete(threadId: string): boolean {
    this.tables.events.delete(threadId);
    this.tables.checkpoints.delete(threadId);
    this.tables.search.delete(threadId);
    this.tables.hadTurns.delete(threadId);
    return this.tables.threads.delete(threadId);
  }

  activeThreadIds(): string[] {
    return [...this.tables.threads].filter(([, { row }]) => row.active).map(([threadId]) => threadId);
  }

  /** The events after `afterSeq` alone (a follower's next read); null when it falls inside a stored run of deltas. */
  since(threadId: string, afterSeq: number): SeqEvent[] | null {
    const rows = (this.tables.events.get(threadId) ?? []).filter((row) => row.seq > afterSeq);
    return seqEventsFromRows(threadId, afterSeq, rows, this.tables.threads.get(threadId)?.lastSeq ?? 0);
  }

  lastSeq(threadId: string): number {
    return this.tables.threads.get(threadId)?.lastSeq ?? 0;
  }

  summary(threadId: string): ThreadSummary | undefined {
    const head = this.tables.threads.get(threadId);
    return head && storedSummary(head.row);
  }

  /** thread/list's page (engine/thread-queries.ts ThreadIndex), with the SQLite index's filters and order. */
  threadPage(query: IndexQuery): Promise<ThreadSummary[]> {
    const value = (summary: ThreadSummary) => (query.sortColumn === 'created_at' ? summary.createdAtMs : summary.updatedAtMs);
    const sign = query.direction === 'asc' ? 1 : -1;
    const order = (a: ThreadSummary, b: ThreadSummary) => sign * (value(a) - value(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const after = query.after;
    const term = query.searchTerm === null || query.searchTerm === '' ? null : asciiLower(query.searchTerm);
    const included = query.includedIds == null ? null : new Set(query.includedIds);
    const excluded = new Set(query.excludedIds ?? []);
    const sourceListed = query.sourceKinds == null || query.sourceKinds.length === 0 || query.sourceKinds.includes('appServer');
    const page = [...this.tables.threads.values()]
      .map(({ row }) => storedSummary(row))
      .filter((summary) => this.tables.hadTurns.has(summary.id) && sourceListed)
      .filter((summary) => (included === null || included.has(summary.id)) && !excluded.has(summary.id))
      .filter((summary) => query.fullText == null || this.indexHolds(summary.id, query.fullText))
      .filter((summary) => summary.archived === query.archived)
      .filter((summary) => query.cwds === null || query.cwds.length === 0 || query.cwds.includes(summary.cwd))
      .filter((summary) => query.modelProviders === null || query.modelProviders.length === 0 || query.modelProviders.includes(summary.modelProvider))
      .filter((summary) => query.sectionId == null || this.tables.organizer.members.get(summary.id)?.sectionId === query.sectionId)
      .filter((summary) => term === null || (summary.name !== null && asciiLower(summary.name).includes(term)) || asciiLower(summary.preview).includes(term) || this.indexHolds(summary.id, query.searchTerm!))
      .filter((summary) => after === null || order(summary, { createdAtMs: after[0], updatedAtMs: after[0], id: after[1] } as ThreadSummary) > 0)
      .sort(order)
      .slice(0, query.limit);
    return Promise.resolve(page);
  }

  /** The documents of these threads, each thread's in order (the SQLite index's threadDocs). */
  threadDocs(threadIds: readonly string[]): Promise<Map<string, SearchDoc[]>> {
    return Promise.resolve(new Map(threadIds.map((id) => [id, [...(this.tables.search.get(id)?.values() ?? [])]])));
  }

  /**
   * As the SQLite index matches: the literal term in any case — Unicode folding, as FTS5's trigram
   * index; a term it cannot index (under 3 characters, or with a NUL) in ASCII case only, as lower().
   */
  private indexHolds(threadId: string, term: string): boolean {
    const docs = [...(this.tables.search.get(threadId)?.values() ?? [])];
    if ([...term].length < 3 || term.includes('\0')) return docs.some((doc) => asciiLower(doc.text).includes(asciiLower(term)));
    const pattern = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
    return docs.some((doc) => pattern.test(doc.text));
  }

  private checkpointUpTo(threadId: string, maxSeq: number): { checkpoint: ThreadState | undefined; from: number } {
    const stored = this.tables.checkpoints.get(threadId);
    if (stored === undefined || stored.v !== CHECKPOINT_VERSION || stored.seq > maxSeq) return { checkpoint: undefined, from: 0 };
    return { checkpoint: stateFromRecord(JSON.parse(stored.body) as ThreadRecord), from: stored.seq };
  }

  /** The events after seq `after`, checked gapless up to the head, as the SQLite log checks them. */
  private eventsAfter(threadId: string, after: number): SeqEvent[] {
    const out: SeqEvent[] = [];
    let expected = after + 1;
    for (const row of this.tables.events.get(threadId) ?? []) {
      if (row.seq <= after) continue;
      if (row.seq !== expected) throw DomainErrors.corrupt(`event log of thread ${threadId} has a gap: expected seq ${expected}, found ${row.seq}`);
      const event = JSON.parse(row.body) as KeelEvent;
      out.push({ seq: row.seq, event });
      expected += seqSpan(event);
    }
    const lastSeq = this.tables.threads.get(threadId)?.lastSeq ?? 0;
    const end = expected - 1;
    if (end !== lastSeq && (out.length > 0 || lastSeq > 0)) {
      throw DomainErrors.corrupt(`event log of thread ${threadId} ends at seq ${end}, but its index row says ${lastSeq}`);
    }
    return out;
  }
}

/** As the SQLite row reads back: a stored thread is never ephemeral. */
function storedSummary(row: SummaryRow): ThreadSummary {
  return { ...summaryOfRow(row), ephemeral: false };
}

/** SQLite's lower() without ICU: ASCII letters only. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
