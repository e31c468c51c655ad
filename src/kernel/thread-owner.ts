// Who runs a thread when several Keel processes share one store (engine/thread-leases.ts): in the
// kernel so the engine's interface, the stores that implement it and the errors that name an owner
// agree on it without importing each other.

/** A Keel process that runs threads: who it is and where it takes forwarded requests. */
export interface ThreadOwner {
  /** Random per process: a pid is reused, an owner id never. */
  ownerId: string;
  pid: number;
  host: string;
  /** Where it takes requests forwarded by other processes (`unix:///…`); null: nowhere. */
  address: string | null;
}

export type Claim =
  /** This process holds the lease now; `from` is the owner whose lease lapsed and was taken over (it died, or stopped beating). */
  | { taken: true; from: ThreadOwner | null }
  /** Another live process holds it. */
  | { taken: false; owner: ThreadOwner };
