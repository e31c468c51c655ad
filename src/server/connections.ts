// Every open connection of this process. Each channel accepted gets a serveConnection of its own
// (its own session: handshake, initialize gate, experimentalApi, notification opt-outs, request
// ids); account-level notifications are broadcast to all. A connection that closes is disposed
// and detached from the threads it heard, and its transport is closed.
import { bindLog, type Log } from '../log.js';
import type { Channel } from '../transport/channel.js';
import { streamChannel } from '../transport/stream-channel.js';
import type { Routes } from './dispatch.js';
import { serveConnection, type CloseReason, type ConnectionHandle, type ConnectionOptions } from './server.js';
import type { Session } from './session.js';
import type { Signal } from '../engine/signals.js';

export interface ConnectionSetDeps {
  routes: Routes;
  logger: Log;
  options: ConnectionOptions;
  /** Forgets a session that went away wherever it subscribed (once the services are up). */
  detach(session: Session): void;
}

interface Open {
  handle: ConnectionHandle;
  log: Log;
  /** Set once the connection has closed; only an ended input still takes output. */
  closedBecause?: CloseReason;
}

export class ConnectionSet {
  private readonly open = new Map<Channel, Open>();

  constructor(private readonly deps: ConnectionSetDeps) {}

  get size(): number {
    return this.open.size;
  }

  /** Serves `channel`; resolves with why it closed. `release` (or `closeAll`) then lets it go. */
  accept(channel: Channel): Promise<CloseReason> {
    const log = bindLog(this.deps.logger, { connection: channel.label });
    const handle = serveConnection(channel, this.deps.routes, log, this.deps.options);
    const entry: Open = { handle, log };
    this.open.set(channel, entry);
    log.debug('connection opened');
    return handle.closed.then((reason) => (entry.closedBecause = reason));
  }

  /** A socket client that went away: dispose it, detach it from its threads, close its socket. */
  release(channel: Channel): Promise<void> {
    return this.drop(channel, true);
  }

  private drop(channel: Channel, detach: boolean): Promise<void> {
    const entry = this.open.get(channel);
    if (entry === undefined) return Promise.resolve();
    this.open.delete(channel);
    // A client leaving is news while Keel serves others; at shutdown it is not.
    (detach ? entry.log.info : entry.log.debug)({ reason: entry.closedBecause ?? 'shutdown' }, 'connection closed');
    entry.handle.dispose();
    if (detach) this.deps.detach(entry.handle.session);
    return channel.close(detach && entry.closedBecause !== 'input ended' ? 'abort' : 'graceful');
  }

  broadcast(method: string, params: unknown): void {
    for (const { handle } of this.open.values()) handle.session.notify(method, params);
  }

  /** An engine signal for every connection, each session rendering it in its protocol. */
  signal(signal: Signal): void {
    for (const { handle } of this.open.values()) handle.session.signal(signal);
  }

  /**
   * Waits until every connection that can still take output has (up to `timeoutMs`): a client that
   * stopped reading, or whose output broke or was dropped, will not take the rest.
   */
  async flushAll(timeoutMs: number): Promise<void> {
    const flushes = [...this.open.values()]
      .filter(({ closedBecause }) => closedBecause === undefined || closedBecause === 'input ended')
      .map(({ handle }) => handle.flush());
    await Promise.race([Promise.all(flushes), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  /** Shutdown (the engine is closed: no detaching): closes every connection, waiting up to `timeoutMs` for their transports. */
  async closeAll(timeoutMs: number): Promise<void> {
    const closing = [...this.open.keys()].map((channel) => this.drop(channel, false).catch(() => undefined));
    await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}

/** Keel's own stdin and stdout, one message per line. Whoever spawned Keel owns them: closing is left to the process. */
export function stdioChannel(): Channel {
  return streamChannel('stdio', process.stdin, process.stdout);
}
