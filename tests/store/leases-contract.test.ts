// The lease contract: what the registry may count on from any ThreadLeases (engine/thread-leases.ts),
// held against the SQLite table (two connections on one file, as two processes) and the in-memory
// one and PostgreSQL's alike — claim, release, ownerOf, a lapsed owner's lease taken over naming it, a clean close,
// and (where the store keeps a log beside its leases) the fence that refuses a lapsed owner's writes.
import os from 'node:os';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce.js';
import { threadEvents } from '../helpers/store-fixtures.js';
import { leaseStoreKinds, owner, type OpenedLeases } from '../helpers/lease-stores.js';
import { dropPgDatabases } from '../helpers/pg.js';
import { openDatabase } from '../../src/store/database.js';
import { SqlLeases } from '../../src/store/sql-leases.js';

afterAll(dropPgDatabases);

for (const kind of leaseStoreKinds) describe.skipIf(kind.skip !== null)(`the ${kind.name} lease store${kind.skip === null ? '' : ` (skipped: ${kind.skip})`}`, () => {
  let store: OpenedLeases;
  beforeEach(async () => {
    store = await kind.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('gives a free lease to the first claimer; another live owner is told who holds it, and holding it is taking it again', async () => {
    const a = await store.owner('a', { address: 'unix:///tmp/a.sock' });
    const b = await store.owner('b');
    expect(await a.claim('t1')).toEqual({ taken: true, from: null });
    expect(await a.claim('t1')).toEqual({ taken: true, from: null });
    expect(await b.claim('t1')).toEqual({ taken: false, owner: owner('a', { address: 'unix:///tmp/a.sock' }) });
    expect(await b.ownerOf('t1')).toEqual(owner('a', { address: 'unix:///tmp/a.sock' }));
    expect(await a.ownerOf('t1')).toBeNull();
    expect(await b.ownerOf('t2')).toBeNull();
  });

  it('a released lease is free for the next claimer; releasing what another holds changes nothing', async () => {
    const a = await store.owner('a');
    const b = await store.owner('b');
    await a.claim('t1');
    await b.release('t1');
    expect(await b.ownerOf('t1')).toEqual(owner('a'));
    await a.release('t1');
    expect(await b.ownerOf('t1')).toBeNull();
    expect(await b.claim('t1')).toEqual({ taken: true, from: null });
    expect(await a.ownerOf('t1')).toEqual(owner('b'));
  });

  it('a lapsed owner holds nothing: ownerOf says none, and the next claim takes the lease over, naming it; the lapsed one is then refused', async () => {
    const a = await store.owner('a');
    const b = await store.owner('b');
    await a.claim('t1');
    await store.lapse('a');
    expect(await b.ownerOf('t1')).toBeNull();
    const claim = await b.claim('t1');
    expect(claim).toMatchObject({ taken: true, from: { ownerId: 'a' } });
    // Taken over once: claiming again takes nothing from anyone.
    expect(await b.claim('t1')).toEqual({ taken: true, from: null });
    expect(await a.ownerOf('t1')).toEqual(owner('b'));
  });

  it('of two claimers of one lapsed lease, exactly one takes it over; the other is told who has it', async () => {
    const a = await store.owner('a');
    const b = await store.owner('b');
    const c = await store.owner('c');
    await a.claim('t1');
    await store.lapse('a');
    const claims = await Promise.all([b.claim('t1'), c.claim('t1')]);
    const won = claims.findIndex((claim) => claim.taken);
    expect(claims.filter((claim) => claim.taken)).toHaveLength(1);
    expect(claims[won]).toMatchObject({ taken: true, from: { ownerId: 'a' } });
    expect(claims[1 - won]).toEqual({ taken: false, owner: owner(won === 0 ? 'b' : 'c') });
  });

  it('a clean close gives every lease back', async () => {
    const a = await store.owner('a');
    const b = await store.owner('b');
    await a.claim('t1');
    await a.claim('t2');
    await a.close();
    expect(await b.ownerOf('t1')).toBeNull();
    expect(await b.claim('t2')).toEqual({ taken: true, from: null });
  });

  it('the fence: an owner whose lease was taken over writes nothing more to the thread', async (context) => {
    if (store.logAs === undefined) return context.skip();
    const a = await store.owner('a');
    const b = await store.owner('b');
    const events = threadEvents('t1', 0);
    await a.claim('t1');
    const logA = store.logAs('a');
    expect(await logA.append('t1', events, replay(events)!, 1)).toBe(1);
    await store.lapse('a');
    await b.claim('t1');
    await expect((async () => logA.append('t1', events, replay(events)!, 2))()).rejects.toEqual(
      expect.objectContaining({ kind: 'conflict', message: 'thread t1 is now run by another Keel process (this one\'s lease lapsed and was taken over); nothing was written' }),
    );
    expect(await store.logAs('b').lastSeq('t1')).toBe(1);
    expect(await store.logAs('b').append('t1', events, replay(events)!, 2)).toBe(2);
  });
});

describe('SQLite leases on one host', () => {
  let store: OpenedLeases;
  beforeEach(async () => {
    store = await leaseStoreKinds[0]!.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('an owner whose process is gone holds nothing, though its lease has not expired: a SIGKILLed Keel loses its threads at once', async () => {
    // No process has this pid (above pid_max).
    const dead = await store.owner('dead', { pid: 2 ** 22 + 1 });
    const b = await store.owner('b');
    await dead.claim('t1');
    expect(await b.ownerOf('t1')).toBeNull();
    expect(await b.claim('t1')).toEqual({ taken: true, from: owner('dead', { pid: 2 ** 22 + 1 }) });
  });

  it('an owner on another host is judged by its expiry alone', async () => {
    const far = await store.owner('far', { pid: 2 ** 22 + 1, host: `not-${os.hostname()}` });
    const b = await store.owner('b');
    await far.claim('t1');
    expect(await b.claim('t1')).toEqual({ taken: false, owner: owner('far', { pid: 2 ** 22 + 1, host: `not-${os.hostname()}` }) });
  });
});

describe('SQLite leases beating', () => {
  it('a beat renews the lease; one that finds its row gone says so loudly and records the owner again', async () => {
    const database = await openDatabase(':memory:');
    let now = 1_000_000;
    const lost: string[] = [];
    const leases = await SqlLeases.open(database.db, owner('me'), { leaseMs: 900, now: () => now, onLost: (message) => lost.push(message) });
    const expiry = () => database.sqlite.prepare('SELECT expires_at FROM keel_owners WHERE owner_id = ?').pluck().get('me');
    expect(expiry()).toBe(1_000_900);
    now += 300;
    await leases.beat();
    expect(expiry()).toBe(1_001_200);
    expect(lost).toEqual([]);

    database.sqlite.prepare('DELETE FROM keel_owners').run();
    now += 300;
    await leases.beat();
    expect(lost).toEqual(['this Keel process (owner me) missed its heartbeat: its lease lapsed, and other processes may have taken over threads it ran; their writes from here are refused']);
    expect(expiry()).toBe(1_001_500);
    await leases.close();
    expect(database.sqlite.prepare('SELECT count(*) FROM keel_owners').pluck().get()).toBe(0);
    await database.close();
  });
});
