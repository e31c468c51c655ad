// Requests for threads another Keel process runs, sent to that process (the owner its lease names)
// and answered with its answer. Each client connection has its own peer links, one per owner
// address, opened on first need and closed with the connection (so the owner detaches the peer
// session: its turns then follow the owner's turns_without_clients policy). An owner on another
// host, or with no address, cannot be reached: the client gets the OwnedElsewhere error, which
// names it. An owner that cannot be connected to, or whose connection drops before it answers,
// is answered with an error naming it: it may have died, and the next claim takes its lapsed lease.
import os from 'node:os';
import type { ThreadRegistry } from '../../engine/thread-registry.js';
import { DomainError, type OwnedElsewhere } from '../../kernel/errors.js';
import type { Log } from '../../log.js';
import { RpcErrors } from '../../protocol/errors.js';
import { ConnectionGone } from '../../transport/rpc-connection.js';
import type { Forwarded, Forwarder } from '../dispatch.js';
import type { Session } from '../session.js';
import { beforeForwarding, type Following } from './following.js';
import { peerSocketOf } from './peer-address.js';
import { PeerGone, PeerLink } from './peer-link.js';

export interface PeerForwardingDeps {
  version: string;
  logger: Log;
  /** The thread commands and registry once the services are up (where the client follows a thread after a forwarded turn). */
  keel(): { threads: Following; registry: ThreadRegistry } | undefined;
  /** This host's name, as the leases have it; default os.hostname(). */
  host?: string;
}

/** The forwarding of each new client connection (ConnectionOptions.forwarder). */
export function peerForwarding(deps: PeerForwardingDeps): () => Forwarder {
  const host = deps.host ?? os.hostname();
  return () => new ConnectionForwarder(deps, host);
}

class ConnectionForwarder implements Forwarder {
  private readonly links = new Map<string, Promise<PeerLink>>();
  private closed = false;

  constructor(
    private readonly deps: PeerForwardingDeps,
    private readonly host: string,
  ) {}

  async forward({ method, params, session, owned, signal, afterResponse }: Forwarded): Promise<unknown> {
    const socketPath = peerSocketOf(owned.owner, this.host);
    if (socketPath === null) throw owned;
    this.deps.logger.debug({ method, threadId: owned.threadId, owner: owned.owner }, "forwarding a request to the thread's owner");
    const follow = await beforeForwarding(this.deps.keel(), { method, params, threadId: owned.threadId, caller: session, logger: this.deps.logger });
    let result: unknown;
    try {
      const link = await this.link(socketPath, session);
      result = await link.request(method, params, signal);
    } catch (error) {
      if (error instanceof PeerGone) throw unreachable(owned, error);
      throw error;
    }
    if (follow !== null) afterResponse(follow);
    return result;
  }

  close(): void {
    this.closed = true;
    for (const link of this.links.values()) void link.then((open) => open.close(), () => undefined);
    this.links.clear();
  }

  private link(socketPath: string, session: Session): Promise<PeerLink> {
    const existing = this.links.get(socketPath);
    if (existing !== undefined) return existing;
    const opening = PeerLink.open({
      socketPath,
      experimentalApi: session.experimentalApi,
      version: this.deps.version,
      relay: (method, params) => relayToClient(session, method, params),
      resolved: (params) => session.notify('serverRequest/resolved', params),
      logger: this.deps.logger,
    });
    this.links.set(socketPath, opening);
    const forget = () => this.links.get(socketPath) === opening && this.links.delete(socketPath);
    opening.then(
      (link) => {
        // The client left while the link opened: nobody will close it otherwise.
        if (this.closed) return link.close();
        void link.closed.then(forget);
      },
      forget,
    );
    return opening;
  }
}

/** A server request of the owner, asked of the client in its own id space; its reply goes back as it is. */
function relayToClient(session: Session, method: string, params: unknown): { id: number | string; answer: Promise<unknown> } {
  const sent = session.relay(method, params);
  const answer = sent.answer.catch((error: unknown) => {
    if (error instanceof ConnectionGone) throw RpcErrors.serverFault('the client this request would be relayed to has gone');
    throw error;
  });
  return { id: sent.id, answer };
}

function unreachable(owned: OwnedElsewhere, error: PeerGone): DomainError {
  const { owner, threadId } = owned;
  const what = error.stage === 'connect' ? `could not be reached at ${owner.address} (${error.message})` : `closed its connection at ${owner.address} before it answered`;
  return new DomainError(
    'unavailable',
    `thread ${threadId} is run by another Keel process (pid ${owner.pid} on ${owner.host}), which ${what}; it may have stopped: retry, and the thread is taken over once its lease lapses`,
  );
}
