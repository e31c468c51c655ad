// One client session's connection to another Keel process that owns threads it asks about: an
// app-server session on the owner's peer socket (peer-listener.ts), opened as client "keel-peer".
// Requests go out as the client sent them and their answers come back as they are. Server requests
// the owner sends on it (an approval, user input, a client tool call: the owner asks the session
// that started the turn) are handed to `relay`, and its outcome is the reply; the owner's
// `serverRequest/resolved` for one of them is handed on with the id the client knows it by. Every
// other notification the owner sends is dropped (the session opts out of each): the client hears
// the thread by following its log here.
import net from 'node:net';
import type { Log } from '../../log.js';
import { methodsWhere } from '../../protocol/method-index.js';
import { OutputWriter } from '../../transport/output-writer.js';
import type { WireId } from '../../transport/classify-line.js';
import { ConnectionGone, RpcConnection } from '../../transport/rpc-connection.js';
import { PEER_CLIENT_NAME } from './peer-address.js';
import { socketChannel } from './socket-channel.js';

/** The one notification of the owner's handed on: a relayed request settled. */
const RESOLVED = 'serverRequest/resolved';

/** How long the owner has to answer the peer session's `initialize`. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** The owner could not be reached, or its connection ended before it answered. */
export class PeerGone extends Error {
  constructor(
    readonly stage: 'connect' | 'answer',
    detail: string,
  ) {
    super(detail);
    this.name = 'PeerGone';
  }
}

export interface PeerLinkOptions {
  socketPath: string;
  /** As the client's own session has it: the owner then checks experimental methods and fields as it would. */
  experimentalApi: boolean;
  version: string;
  /** A server request the owner sends, asked of the client: the id the client got it with, and its reply (rejects with its error). */
  relay(method: string, params: unknown): { id: WireId; answer: Promise<unknown> };
  /** The owner settled a relayed request (answered, or by another client, a timeout, the turn's end): `params` name the client's id. */
  resolved(params: unknown): void;
  logger: Log;
}

export class PeerLink {
  private constructor(
    private readonly connection: RpcConnection,
    private readonly stopReading: () => void,
    private readonly socket: net.Socket,
    /** Resolves once the link is gone (closed here, or by the owner). */
    readonly closed: Promise<void>,
  ) {}

  /** Connects and opens the session; rejects with PeerGone when the owner cannot be reached. */
  static async open(options: PeerLinkOptions): Promise<PeerLink> {
    const socket = net.connect(options.socketPath);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new PeerGone('connect', error.code ?? error.message)));
    });
    const channel = socketChannel(`peer ${options.socketPath}`, socket);
    /** Relayed requests not yet settled: the owner's id on this link → the client's. */
    const relayed = new Map<WireId, WireId>();
    const connection = new RpcConnection(new OutputWriter(channel), {
      request: ({ id, method, params }) => {
        const sent = options.relay(method, params);
        relayed.set(id, sent.id);
        return sent.answer;
      },
      notification: (method, params) => {
        if (method !== RESOLVED) return;
        const requestId = (params as { requestId?: WireId } | null)?.requestId;
        const clientId = requestId === undefined ? undefined : relayed.get(requestId);
        if (clientId === undefined) return;
        relayed.delete(requestId!);
        options.resolved({ ...(params as object), requestId: clientId });
      },
    }, options.logger);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Server requests still waiting are answered with ConnectionGone, so what was forwarded fails.
    void closed.then(() => connection.close());
    const stopReading = channel.listen({
      message: (text) => connection.receive(text),
      oversize: (maxBytes) => connection.oversize(maxBytes),
      end: () => connection.close(),
    });
    const link = new PeerLink(connection, stopReading, socket, closed);
    try {
      await link.handshake(options);
    } catch (error) {
      link.close();
      throw error;
    }
    return link;
  }

  /** Sends `method` with `params` as they are; the owner's result, or its error (an RpcError) as it is. A cancel of `signal` is passed on. */
  async request(method: string, params: unknown, signal?: AbortSignal): Promise<unknown> {
    const sent = this.connection.request(method, params);
    const cancel = () => this.connection.notify('$/cancelRequest', { id: sent.id }, Date.now());
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await sent.answer;
    } catch (error) {
      if (error instanceof ConnectionGone) throw new PeerGone('answer', 'the connection closed before it answered');
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Ends the session: the owner detaches it from its threads (their turns then follow its turns_without_clients). */
  close(): void {
    this.stopReading();
    this.connection.close();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private async handshake(options: PeerLinkOptions): Promise<void> {
    const initialize = this.connection.request('initialize', {
      clientInfo: { name: PEER_CLIENT_NAME, title: null, version: options.version },
      capabilities: { experimentalApi: options.experimentalApi, optOutNotificationMethods: methodsWhere((info) => info.direction === 'serverNotification' && info.method !== RESOLVED) },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PeerGone('connect', `no answer to initialize within ${HANDSHAKE_TIMEOUT_MS} ms`)), HANDSHAKE_TIMEOUT_MS);
    });
    try {
      await Promise.race([initialize.answer, timeout]);
    } catch (error) {
      if (error instanceof ConnectionGone) throw new PeerGone('connect', 'the connection closed during the handshake');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.connection.notify('initialized', undefined, Date.now());
  }
}
