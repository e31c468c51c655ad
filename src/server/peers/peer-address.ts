// Where a Keel process takes requests other Keel processes forward to it, and whether an owner
// named in a lease can be reached from here: only over a unix socket on this same host (the
// socket's private directory lets only the same user in).
import os from 'node:os';
import type { ThreadOwner } from '../../kernel/thread-owner.js';
import type { Session } from '../session.js';

/** The clientInfo name a forwarding Keel initializes its peer sessions with. */
export const PEER_CLIENT_NAME = 'keel-peer';

/** A session another Keel process opened to forward its clients' requests: it never forwards again (the lease moved meanwhile; the client retries). */
export function isPeerSession(session: Session): boolean {
  return session.clientName === PEER_CLIENT_NAME;
}

/** The address written in this process's leases for the socket at `socketPath`. */
export function peerAddress(socketPath: string): string {
  return `unix://${socketPath}`;
}

/** The socket to reach `owner` at, or null when it takes no forwarded requests or runs on another host. */
export function peerSocketOf(owner: ThreadOwner, host = os.hostname()): string | null {
  if (owner.address === null || owner.host !== host || !owner.address.startsWith('unix://')) return null;
  return owner.address.slice('unix://'.length);
}
