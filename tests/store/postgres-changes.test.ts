// PgChanges (store/postgres/pg-changes.ts): a process hears another's appends to a thread through
// LISTEN/NOTIFY, and when its listening connection is cut it opens it again and calls every
// watcher once (notices sent meanwhile are lost), then hears appends as before.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce.js';
import { openPgDatabase, type PgDatabase } from '../../src/store/postgres/pg-database.js';
import { PgChanges } from '../../src/store/postgres/pg-changes.js';
import { PgThreadLog } from '../../src/store/postgres/pg-thread-log.js';
import { threadEvents } from '../helpers/store-fixtures.js';
import { dropPgDatabases, freshPgDatabase, onPgDatabase, pgSkipReason } from '../helpers/pg.js';

afterAll(dropPgDatabases);

/** Resolves with the calls counted when `count` have arrived; fails after `ms`. */
function calls(count: number, ms = 10_000): { changed: () => void; reached: Promise<void>; seen: () => number } {
  let seen = 0;
  let resolve!: () => void;
  const reached = new Promise<void>((done, fail) => {
    resolve = done;
    setTimeout(() => fail(new Error(`${seen} of ${count} calls after ${ms} ms`)), ms).unref();
  });
  return { changed: () => void (++seen >= count && resolve()), reached, seen: () => seen };
}

describe.skipIf(pgSkipReason !== null)(`PostgreSQL's notices of appends${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  let url: string;
  let writer: PgDatabase;
  let changes: PgChanges;
  const warnings: string[] = [];
  beforeEach(async () => {
    warnings.length = 0;
    url = await freshPgDatabase();
    writer = await openPgDatabase({ url });
    changes = new PgChanges({ url }, (message) => warnings.push(message));
  });
  afterEach(async () => {
    await changes.close();
    await writer.close();
  });

  it('calls the watchers of the thread another connection appended to, on commit, and no others', async () => {
    const a = calls(1);
    const b = calls(1);
    changes.watch('a', a.changed);
    changes.watch('b', b.changed);
    await changes.ready();
    const events = threadEvents('a', 1);
    await new PgThreadLog(writer).append('a', events, replay(events)!, 1);
    await a.reached;
    expect({ a: a.seen(), b: b.seen() }).toEqual({ a: 1, b: 0 });
  });

  it('stops calling a watcher once it is stopped', async () => {
    const kept = calls(1);
    const stopped = calls(1);
    changes.watch('a', kept.changed);
    changes.watch('a', stopped.changed)();
    await changes.ready();
    const events = threadEvents('a', 1);
    await new PgThreadLog(writer).append('a', events, replay(events)!, 1);
    await kept.reached;
    expect(stopped.seen()).toBe(0);
  });

  it('opens its connection again when the server ends it, calls every watcher once, and hears appends after', async () => {
    const a = calls(1);
    const b = calls(1);
    changes.watch('a', a.changed);
    changes.watch('b', b.changed);
    await changes.ready();
    const ended = await onPgDatabase<{ ended: boolean }>(url, "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'keel-listen' AND datname = current_database()");
    expect(ended).toEqual([{ ended: true }]);
    await Promise.all([a.reached, b.reached]);
    expect({ a: a.seen(), b: b.seen() }).toEqual({ a: 1, b: 1 });
    expect(warnings).toEqual([expect.stringMatching(/^the notice connection to .* was lost: .*; opening it again in 100 ms$/)]);

    const after = calls(1);
    changes.watch('a', after.changed);
    await changes.ready();
    const events = threadEvents('a', 1);
    await new PgThreadLog(writer).append('a', events, replay(events)!, 1);
    await after.reached;
  });
});
