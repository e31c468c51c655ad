// The socket listeners (`--listen unix://…`, `--listen ws://…`), loaded only when one is asked
// for: a stdio start loads neither this nor `ws`. Both speak WebSocket, one JSON-RPC message per
// text frame; each client becomes a Channel handed to `accept`. Each bound address is logged and
// also printed as one plain stderr line, `keel: listening on <url>`, for scripts to read (the
// port of `ws://HOST:0` is known only then).
import type { Server } from 'node:net';
import { isLoopbackHost, wsUrl, type CapabilityToken, type ListenAddress } from '../../kernel/listen-address.js';
import type { Log } from '../../log.js';
import type { Channel } from '../../transport/channel.js';
import { sandboxedPeerRefusal } from './sandboxed-peer.js';
import { claimSocketPath, listenPrivately, removeSocketFile } from './unix-socket-file.js';
import { expectedDigest } from './upgrade-gate.js';
import { createEndpoint, type Endpoint } from './websocket-endpoint.js';

export type SocketAddress = Exclude<ListenAddress, { transport: 'stdio' }>;

export interface ListenerDeps {
  addresses: readonly SocketAddress[];
  wsAuth: CapabilityToken | null;
  logger: Log;
  accept(channel: Channel): void;
}

export interface RunningListeners {
  /** Where clients connect, in the order given. */
  urls: string[];
  /** Stops accepting and removes the socket files (connected clients are left to the caller). */
  stop(): Promise<void>;
}

/** A start Keel must refuse: the message for stderr and the exit code (2: the flags; 1: the system). */
export type ListenFailure = { message: string; exitCode: number };

interface Started {
  url: string;
  stop(): Promise<void>;
}

function listenTcp(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

async function startOne(address: SocketAddress, endpoint: Endpoint): Promise<Started | string> {
  if (address.transport === 'unix') {
    const problem = await claimSocketPath(address.path);
    if (problem !== null) return problem;
    const inode = await listenPrivately(endpoint.server, address.path);
    // process.exit (a crash path) closes no server: the file would stay behind.
    const onExit = () => removeSocketFile(address.path, inode);
    process.once('exit', onExit);
    return {
      url: `unix://${address.path}`,
      stop: async () => {
        process.off('exit', onExit);
        await endpoint.close();
        removeSocketFile(address.path, inode);
      },
    };
  }
  const port = await listenTcp(endpoint.server, address.host, address.port);
  return { url: wsUrl(address.host, port), stop: () => endpoint.close() };
}

function describe(address: SocketAddress): string {
  return address.transport === 'unix' ? `unix://${address.path}` : wsUrl(address.host, address.port);
}

export async function startListeners(deps: ListenerDeps): Promise<RunningListeners | ListenFailure> {
  let tokenDigest: Buffer | null = null;
  if (deps.wsAuth !== null) {
    const expected = expectedDigest(deps.wsAuth);
    if ('problem' in expected) return { message: expected.problem, exitCode: 2 };
    tokenDigest = expected.digest;
  }
  let lastId = 0;
  const started: Started[] = [];
  const stopAll = () => Promise.all(started.map((listener) => listener.stop())).then(() => undefined);
  for (const address of deps.addresses) {
    const endpoint = createEndpoint({
      kind: address.transport,
      // The unix socket is guarded by its file mode; the token guards TCP.
      tokenDigest: address.transport === 'ws' ? tokenDigest : null,
      // Without a token every local process may connect, a sandboxed command with network too;
      // sandboxes cover the unix socket instead (bubblewrap.ts).
      peerCheck: address.transport === 'ws' && tokenDigest === null ? (socket) => sandboxedPeerRefusal(socket) : undefined,
      logger: deps.logger,
      accept: deps.accept,
      nextId: () => ++lastId,
    });
    let outcome: Started | string;
    try {
      outcome = await startOne(address, endpoint);
    } catch (error) {
      outcome = `${describe(address)}: cannot listen (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
    if (typeof outcome === 'string') {
      await endpoint.close();
      await stopAll();
      return { message: outcome, exitCode: 1 };
    }
    started.push(outcome);
    deps.logger.info({ url: outcome.url }, 'listening');
    process.stderr.write(`keel: listening on ${outcome.url}\n`);
    if (address.transport === 'ws' && tokenDigest === null && !isLoopbackHost(address.host)) {
      process.stderr.write(`keel: warning: ${outcome.url} is reachable from other machines and asks no token (--ws-auth capability-token)\n`);
    }
  }
  return { urls: started.map((listener) => listener.url), stop: stopAll };
}
