// Word that a thread's log grew (engine/thread-changes.ts) on SQLite, which tells no one: while any
// thread is watched, its head (threads.last_seq) is read every POLL_MS, and a watcher is called
// when its thread's head moved (or the thread went). One statement for every watched thread, and
// none at all while SQLite's data_version says no other connection committed since the last look.
// It does not count this connection's own commits, which matter little: a thread this process
// writes is in memory here, not followed (and followers also read on their own now and then).
//
// Delay from an owner's commit to a follower hearing of it: POLL_MS at most, plus the follower's
// read (bench/follow-delay.mjs measures it end to end).
import type { Statement } from 'better-sqlite3';
import type { KeelDatabase } from './database.js';

/** How often the watched heads are looked at. */
export const POLL_MS = 25;
/** Heads are read at least every this many ticks, data_version or not (a safety net; 1 s). */
const FORCED_EVERY = 40;

export class SqliteChanges {
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly heads = new Map<string, number | null>();
  private readonly selectHeads: Statement;
  private timer: NodeJS.Timeout | null = null;
  private dataVersion = -1;
  private ticks = 0;

  constructor(
    private readonly database: KeelDatabase,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.selectHeads = database.sqlite.prepare('SELECT id, last_seq FROM threads WHERE id IN (SELECT value FROM json_each(?))');
  }

  watch(threadId: string, changed: () => void): () => void {
    let set = this.watchers.get(threadId);
    if (set === undefined) {
      this.watchers.set(threadId, (set = new Set()));
      this.heads.set(threadId, this.headOf(threadId));
    }
    const own = () => changed();
    set.add(own);
    this.start();
    return () => {
      set.delete(own);
      if (set.size > 0 || this.watchers.get(threadId) !== set) return;
      this.watchers.delete(threadId);
      this.heads.delete(threadId);
      if (this.watchers.size === 0) this.stop();
    };
  }

  close(): void {
    this.watchers.clear();
    this.heads.clear();
    this.stop();
  }

  private start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private poll(): void {
    if (!this.database.sqlite.open) return this.stop();
    try {
      const version = this.database.sqlite.pragma('data_version', { simple: true }) as number;
      this.ticks = (this.ticks + 1) % FORCED_EVERY;
      if (version === this.dataVersion && this.ticks !== 0) return;
      this.dataVersion = version;
      const rows = this.selectHeads.all(JSON.stringify([...this.watchers.keys()])) as Array<{ id: string; last_seq: number }>;
      const now = new Map(rows.map((row) => [row.id, row.last_seq]));
      for (const [threadId, before] of this.heads) {
        const head = now.get(threadId) ?? null;
        if (head === before) continue;
        this.heads.set(threadId, head);
        for (const changed of [...(this.watchers.get(threadId) ?? [])]) changed();
      }
    } catch (error) {
      this.onError(error);
    }
  }

  private headOf(threadId: string): number | null {
    try {
      return (this.selectHeads.get(JSON.stringify([threadId])) as { last_seq: number } | undefined)?.last_seq ?? null;
    } catch {
      return null;
    }
  }
}
