// Which process runs a thread. Any number of Keel processes share one store (a home's SQLite file,
// or a PostgreSQL database); each thread is run by one of them at a time: the one holding its lease.
// A process takes a thread's lease when it loads the thread to change it and gives it back when the
// thread unloads, so an idle thread moves to whichever process uses it next. A lease lasts while its
// owner beats (the store's business, with the owner's pid, host and expiry); an owner that died or
// stopped beating has lost its leases, and the next claim takes them over.
//
// The store implements this (store/memory-leases.ts, store/sql-leases.ts); the registry claims and
// releases, and a claim another live process holds is an OwnedElsewhere error (kernel/errors.ts),
// which the server forwards to the owner's address or answers naming the owner.
import type { Claim, ThreadOwner } from '../kernel/thread-owner.js';
import type { Maybe } from './thread-log.js';

export type { Claim, ThreadOwner } from '../kernel/thread-owner.js';

export interface ThreadLeases {
  /** This process as an owner. */
  readonly me: ThreadOwner;
  /** Takes the thread's lease unless another live process holds it; holding it already is taking it. */
  claim(threadId: string): Maybe<Claim>;
  /** Gives the lease back if this process holds it. */
  release(threadId: string): Maybe<void>;
  /** The live process other than this one that holds the thread's lease, or null. */
  ownerOf(threadId: string): Maybe<ThreadOwner | null>;
  /** Gives back every lease and stops beating (a clean exit). */
  close(): Maybe<void>;
}
