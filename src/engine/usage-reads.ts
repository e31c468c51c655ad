// The reads behind `account/usage/read`: every stored thread (archived or not), paged through the
// store's summary projection and replayed by the registry (its checkpoint and the events after).
// A scan over all threads — fine for a read a client makes now and then, not per turn.
import type { ThreadState } from '../core/state.js';
import { DomainError } from '../kernel/errors.js';
import { accountUsage, threadUsage, type DailyTokens, type ThreadUsage, type UsageSummary } from './account-usage.js';
import type { IndexPosition, IndexQuery, ThreadIndex } from './thread-queries.js';
import type { ThreadRegistry } from './thread-registry.js';

const PAGE = 500;

export interface UsageReport {
  summary: UsageSummary;
  daily: DailyTokens[];
  /** Only when one thread was asked for. */
  thread: ThreadUsage | null;
}

export class UsageReads {
  constructor(
    private readonly index: ThreadIndex,
    private readonly registry: Pick<ThreadRegistry, 'read'>,
    private readonly now: () => number,
  ) {}

  /** Account-wide, or one thread's (`notFound` for a thread the store does not have). */
  async read(threadId: string | null): Promise<UsageReport> {
    if (threadId !== null) {
      const thread = await this.registry.read(threadId);
      return { ...accountUsage([thread], this.now()), thread: threadUsage(thread) };
    }
    const threads: ThreadState[] = [];
    for (const archived of [false, true]) {
      for (const id of await this.threadIds(archived)) {
        const thread = await this.readIfThere(id);
        if (thread !== null) threads.push(thread);
      }
    }
    return { ...accountUsage(threads, this.now()), thread: null };
  }

  /** A thread deleted between the listing and its read is left out. */
  private async readIfThere(threadId: string): Promise<ThreadState | null> {
    try {
      return await this.registry.read(threadId);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'notFound') return null;
      throw error;
    }
  }

  private async threadIds(archived: boolean): Promise<string[]> {
    const ids: string[] = [];
    let after: IndexPosition | null = null;
    for (;;) {
      const query: IndexQuery = { sortColumn: 'created_at', direction: 'asc', limit: PAGE, after, archived, cwds: null, searchTerm: null, modelProviders: null };
      const rows = await this.index.threadPage(query);
      ids.push(...rows.map((row) => row.id));
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || last === undefined) return ids;
      after = [last.createdAtMs, last.id];
    }
  }
}
