// Word that a thread's log grew, from any process writing the database (engine/thread-changes.ts):
// PgThreadLog notifies on channel keel_thread with `<threadId>:<lastSeq>` inside each append's
// transaction (delivered on commit), and this class LISTENs on one connection of its own (a pooled
// connection cannot keep a LISTEN) and calls the thread's watchers.
//
// A notice only says when to look: the follower reads the log after the last seq it delivered. So
// when the connection drops (a server restart, a network cut) it is opened again, with a growing
// pause, and every watcher is then called once, since notices sent meanwhile are lost.
import type pg from 'pg';
import { loadPg } from './pg-module.js';
import { clientConfig, type PgStoreOptions } from './pg-database.js';
import { describeUrl } from './pg-errors.js';
import { THREAD_CHANNEL } from './pg-thread-log.js';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

export class PgChanges {
  private readonly watchers = new Map<string, Set<() => void>>();
  private client: pg.Client | null = null;
  /** Resolves when the current connection LISTENs (or the class is closed). */
  private listening: Promise<void> | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Connections tried so far: any but the first may have missed notices. */
  private attempts = 0;

  constructor(
    private readonly options: PgStoreOptions,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  watch(threadId: string, changed: () => void): () => void {
    let set = this.watchers.get(threadId);
    if (set === undefined) this.watchers.set(threadId, (set = new Set()));
    const own = () => changed();
    set.add(own);
    // The connection opens with the first watch: a process that follows no thread holds none.
    if (this.listening === null && !this.closed) this.listening = this.connect();
    return () => {
      set.delete(own);
      if (set.size === 0 && this.watchers.get(threadId) === set) this.watchers.delete(threadId);
    };
  }

  /** Resolves once notices are being heard (tests wait for it before writing). */
  async ready(): Promise<void> {
    await this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.watchers.clear();
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const again = this.attempts++ > 0;
    const driver = await loadPg();
    const client = new driver.Client({ ...clientConfig(driver, this.options), application_name: 'keel-listen' });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => {});
      if (this.closed) return;
      this.warn(`the notice connection to ${describeUrl(this.options.url)} was lost${error ? `: ${error.message}` : ''}; opening it again in ${this.retryMs} ms`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.listening = this.connect();
      }, this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== THREAD_CHANNEL || message.payload === undefined) return;
      const threadId = message.payload.slice(0, message.payload.lastIndexOf(':'));
      this.call(this.watchers.get(threadId));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${THREAD_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    // Notices sent while no connection listened are lost: every follower looks at its log again.
    if (again) for (const set of this.watchers.values()) this.call(set);
  }

  private call(set: Set<() => void> | undefined): void {
    for (const changed of [...(set ?? [])]) {
      try {
        changed();
      } catch (error) {
        this.warn(`a watcher of the thread log failed: ${(error as Error).message}`);
      }
    }
  }
}
