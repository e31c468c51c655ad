// Keel "processes" in the test's own process for the peer tests: each a connection set served as
// src/main.ts serves one (routes, the lazily started services, each connection's forwarder) with a
// real peer listener on a unix socket, all on one in-memory store and lease table (openKeel
// `sharedMemory`), as processes share a database. Clients connect over in-memory channels.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Lazy } from '../../src/kernel/lazy.js';
import { clientLimits } from '../../src/kernel/client-limits.js';
import { buildRoutes } from '../../src/server/handlers/index.js';
import { ConnectionSet } from '../../src/server/connections.js';
import { peerForwarding } from '../../src/server/peers/peer-forwarding.js';
import { startPeerListener, type PeerListener } from '../../src/server/peers/peer-listener.js';
import { startServices, type Services } from '../../src/server/services.js';
import { memoryTables, type MemoryTables } from '../../src/store/memory-thread-log.js';
import { memoryLeaseTable, type MemoryLeaseTable } from '../../src/store/memory-leases.js';
import type { Channel } from '../../src/transport/channel.js';
import { channelPair, type ClientEnd } from '../helpers/channel-pair.js';
import { keelOptions } from '../helpers/engine.js';
import type { IncomingMessage } from '../helpers/message-inbox.js';

const TIMEOUT_MS = 10_000;
const VERSION = '0.0.0-test';

export interface SharedStore {
  tables: MemoryTables;
  leases: MemoryLeaseTable;
}

export const sharedStore = (): SharedStore => ({ tables: memoryTables(), leases: memoryLeaseTable() });

/** A client connection: requests by id, every message it was sent in `inbox`. */
export class TestClient {
  private nextId = 1;
  constructor(readonly end: ClientEnd) {}

  get messages(): IncomingMessage[] {
    return this.end.inbox.messages;
  }

  /** The whole response (result or error) to `method`. */
  async request(method: string, params: unknown): Promise<IncomingMessage> {
    const id = this.nextId++;
    this.end.send({ id, method, params });
    return this.end.inbox.response(id, TIMEOUT_MS);
  }

  /** The result, or a thrown error naming the RPC error. */
  async result(method: string, params: unknown): Promise<any> {
    const response = await this.request(method, params);
    if (response.error !== undefined) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  waitFor(match: (m: IncomingMessage) => boolean): Promise<IncomingMessage> {
    return this.end.inbox.waitFor(match, TIMEOUT_MS);
  }

  answer(id: unknown, result: unknown): void {
    this.end.send({ id, result });
  }

  /** The client goes away (its input ends and its output closes). */
  disconnect(): void {
    this.end.disconnect();
  }
}

export interface PeerKeel {
  ownerId: string;
  /** Null when started with `address: null` (a process that takes no forwarded requests). */
  listener: PeerListener | null;
  services: Lazy<Services>;
  connections: ConnectionSet;
  /** A new client, initialized (and `initialized` sent). */
  connect(capabilities?: Record<string, unknown>, clientName?: string): Promise<TestClient>;
  close(): Promise<void>;
}

export interface PeerKeelOptions {
  ownerId: string;
  store: SharedStore;
  home: string;
  env?: NodeJS.ProcessEnv;
  /** false: no peer listener, and no address in the leases. */
  listen?: boolean;
  /** Deterministic ids and times, so answers can be asserted whole. */
  newId?: () => string;
  now?: () => number;
}

export async function peerKeel(options: PeerKeelOptions): Promise<PeerKeel> {
  const logger = pino({ level: 'silent' });
  let connections!: ConnectionSet;
  const accept = (channel: Channel) => void connections.accept(channel).then(() => connections.release(channel));
  const listener = options.listen === false ? null : await startPeerListener({ home: options.home, ownerId: options.ownerId, logger, accept });
  const services = new Lazy<Services>(() =>
    startServices(
      keelOptions(options.home, path.join(options.home, 'unused.db'), {
        threadLog: 'memory',
        sharedMemory: options.store,
        ownerId: options.ownerId,
        ownerAddress: listener?.address ?? null,
        env: options.env ?? {},
        logger,
        broadcast: (method, params) => connections.broadcast(method, params),
        signal: (signal) => connections.signal(signal),
        ...(options.newId && { newId: options.newId }),
        ...(options.now && { now: options.now }),
      }),
    ),
  );
  const routes = buildRoutes({
    identity: { version: VERSION, home: options.home },
    diagnostics: { startedAtMs: 0, gauges: () => [] },
    services,
  });
  const limits = clientLimits(() => services.peek()?.keel.config.resolved().keel);
  let stopping = false;
  connections = new ConnectionSet({
    routes,
    logger,
    options: {
      stallTimeoutMs: limits.stallTimeoutMs,
      outputLimitBytes: limits.outputLimitBytes,
      forwarder: peerForwarding({ version: VERSION, logger, keel: () => services.peek()?.keel }),
    },
    detach: (session) => stopping || services.peek()?.keel.threads.detach(session),
  });
  await services.get();
  let clients = 0;
  return {
    ownerId: options.ownerId,
    listener,
    services,
    connections,
    connect: async (capabilities = {}, clientName = 'peer-test') => {
      const pair = channelPair(`${options.ownerId}-client#${++clients}`);
      accept(pair.server);
      const client = new TestClient(pair.client);
      await client.result('initialize', { clientInfo: { name: clientName, title: null, version: '0' }, capabilities });
      pair.client.send({ method: 'initialized' });
      return client;
    },
    close: async () => {
      stopping = true;
      await listener?.stop();
      await (await services.get()).keel.close();
      await connections.closeAll(1_000);
    },
  };
}

/** A home for the peer tests (short, so its sockets fit sun_path). */
export function peerHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keel-peers-'));
}
