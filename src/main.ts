// Entry point: reads the command line. Serving serves every client that connects, each a connection
// of its own: stdio (the default) and the `--listen` sockets (their code loaded only when asked
// for). The process ends on SIGTERM/SIGINT, or when stdin ends if stdio is served (whoever holds it
// spawned Keel): it stops listening, ends running turns, closes the store, flushes every client
// (5 s at most) and exits 0. Socket clients come and go without ending it. Everything past the
// handshake (config, providers, the thread store, the engine) is one lazy step, loaded right after
// `initialize` is answered, with the peer socket other Keel processes forward requests for this
// process's threads to (server/peers/). Help, version and the generate-* commands print or write,
// then exit; a wrong flag or value prints its usage message on stderr and exits 2.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseCommandLine, UsageError, type Command, type ServeOptions } from './cli/command-line.js';
import { helpText, usageErrorText } from './cli/usage.js';
import { clientLimits } from './kernel/client-limits.js';
import { closeInheritedDescriptors } from './kernel/inherited-fds.js';
import { Lazy } from './kernel/lazy.js';
import { createLogger } from './log.js';
import { PROVIDER_KEY_VARIABLES, secrets } from './kernel/redact.js';
import { buildRoutes } from './server/handlers/index.js';
import { ConnectionSet, stdioChannel } from './server/connections.js';
import type { RunningListeners } from './server/listeners/index.js';
import { peerForwarding } from './server/peers/peer-forwarding.js';
import type { PeerListener } from './server/peers/peer-listener.js';
import type { Services } from './server/services.js';
import type { Channel } from './transport/channel.js';
import { keelVersion } from './version.js';

// Anything a dependency prints with console.log must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

// Keys in the environment are secrets from the first log line on (config's and auth.json's are learnt as read).
secrets.rememberEnv(process.env, PROVIDER_KEY_VARIABLES);
const logger = createLogger();
/** At shutdown, how long Keel waits for the clients to take their last output. */
const SHUTDOWN_FLUSH_MS = 5_000;
/** …and then for their sockets to close. */
const SHUTDOWN_CLOSE_MS = 1_000;

async function serve(options: ServeOptions): Promise<void> {
  const startedAtMs = Date.now();
  // Before anything is spawned: what Keel inherited must not reach the commands it runs.
  const closed = closeInheritedDescriptors();
  if (closed.length > 0) logger.debug({ fds: closed }, 'closed descriptors inherited from the parent process');
  const ownerId = randomUUID();
  let peers: PeerListener | null = null;
  let peersStarting: Promise<PeerListener | null> | undefined;
  const services = new Lazy<Services>(async () => {
    // Before the store: the leases this process takes name the socket.
    peers = await (peersStarting ??= listenForPeers(options.home, ownerId));
    const peerSockets = peers === null ? [] : [peers.socketPath];
    return (await import('./server/services.js')).startServices({
      home: options.home,
      dbPath: options.dbPath,
      version: keelVersion,
      logger,
      env: process.env,
      cwd: process.cwd(),
      // The connections are made after the routes; by the time anything broadcasts, they exist.
      broadcast: (method, params) => connections.broadcast(method, params),
      signal: (signal) => connections.signal(signal),
      configOverrides: options.configOverrides,
      programPath: path.resolve(process.argv[1] ?? ''),
      // A sandboxed command must not become a client of Keel: its sandbox covers these.
      listenerSockets: [...options.listen.addresses.flatMap((address) => (address.transport === 'unix' ? [address.path] : [])), ...peerSockets],
      ownerId,
      ownerAddress: peers?.address ?? null,
    });
  });
  /** The peer socket, or null (this process then takes no forwarded requests: other processes tell their clients so). */
  const listenForPeers = async (home: string, owner: string): Promise<PeerListener | null> => {
    const { startPeerListener } = await import('./server/peers/peer-listener.js');
    try {
      return await startPeerListener({ home, ownerId: owner, logger, accept: acceptSocket });
    } catch (error) {
      logger.warn({ err: error }, 'cannot take requests other Keel processes forward; they answer requests for the threads this process runs with an error naming it');
      return null;
    }
  };
  const routes = buildRoutes({
    identity: { version: keelVersion, home: options.home },
    diagnostics: {
      startedAtMs,
      gauges: () => {
        const registry = services.peek()?.keel.registry;
        return [
          { name: 'loadedThreads', value: registry?.loadedIds().length ?? 0 },
          // Loaded threads idle past [keel] thread_idle_unload_ms leave memory while still subscribed.
          { name: 'threadsInMemory', value: registry?.inMemoryIds().length ?? 0 },
          { name: 'connections', value: connections.size },
        ];
      },
    },
    services,
  });
  let stopping = false;
  const limits = clientLimits(() => services.peek()?.keel.config.resolved().keel);
  const connections = new ConnectionSet({
    routes,
    logger,
    options: {
      stallTimeoutMs: limits.stallTimeoutMs,
      outputLimitBytes: limits.outputLimitBytes,
      forwarder: peerForwarding({ version: keelVersion, logger, keel: () => services.peek()?.keel }),
    },
    // Once shutdown has begun the engine is closing: nothing to detach from.
    detach: (session) => stopping || services.peek()?.keel.threads.detach(session),
  });

  /** A client of a socket (a listener's, or another Keel process on the peer socket): served until it goes. */
  const acceptSocket = (channel: Channel) => {
    if (stopping) return void channel.close('abort');
    void connections.accept(channel).then(() => connections.release(channel));
  };
  let listeners: RunningListeners | undefined;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.debug({ reason }, 'shutting down');
    try {
      await listeners?.stop();
      await (peers as PeerListener | null)?.stop();
      const loaded = await services.started()?.catch(() => undefined);
      await loaded?.keel.close();
      await connections.flushAll(SHUTDOWN_FLUSH_MS);
      await connections.closeAll(SHUTDOWN_CLOSE_MS);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Socket listeners first: a start they refuse serves nobody, not even stdio.
  const sockets = options.listen.addresses.filter((address) => address.transport !== 'stdio');
  if (sockets.length > 0) {
    const { startListeners } = await import('./server/listeners/index.js');
    const started = await startListeners({
      addresses: sockets,
      wsAuth: options.listen.wsAuth,
      logger,
      accept: acceptSocket,
    });
    if ('message' in started) return fail(`keel: ${started.message}\n`, started.exitCode);
    listeners = started;
  }
  // Whoever holds stdio spawned Keel and owns it: when it goes, Keel goes (socket clients too).
  if (options.listen.addresses.some((address) => address.transport === 'stdio')) {
    void connections.accept(stdioChannel()).then((reason) => shutdown(reason));
  }
}

/** Plain lines on stderr and an exit code: what a person at a terminal or a client's log should see. */
function fail(message: string, code: number): void {
  process.stderr.write(message);
  process.exitCode = code;
}

async function run(command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText(command.topic));
      return;
    case 'version':
      process.stdout.write(`keel ${keelVersion}\n`);
      return;
    case 'generate': {
      const { writeContract } = await import('./cli/write-contract.js');
      // The committed contract ships beside the bundle: dist/../schema, dist/../generated.
      try {
        writeContract({ ...command, packageRoot: path.resolve(__dirname, '..') });
      } catch (error) {
        fail(`keel: ${(error as Error).message}\n`, 1);
      }
      return;
    }
    case 'client': {
      const { runClientCommand } = await import('./cli/client/run-client.js');
      process.exitCode = await runClientCommand(command.run);
      return;
    }
    case 'doctor': {
      const { runDoctor } = await import('./cli/doctor/run-doctor.js');
      process.exitCode = await runDoctor(command.options);
      return;
    }
    case 'acp': {
      const { runAcp } = await import('./server/acp/run-acp.js');
      process.exitCode = await runAcp(command.options, keelVersion, logger);
      return;
    }
    case 'inspect': {
      const { runInspect } = await import('./cli/inspect/run-inspect.js');
      process.exitCode = await runInspect(command.options);
      return;
    }
    case 'daemon': {
      const { runDaemonCommand } = await import('./cli/daemon/run-daemon-command.js');
      process.exitCode = await runDaemonCommand(command.run);
      return;
    }
    case 'serve': {
      const { options } = command;
      // Only these flags need the config schema before serving; without them start-up stays lean.
      if (options.configOverrides.length > 0 || options.strictConfig) {
        const { startupConfigProblem } = await import('./config/startup-check.js');
        const problem = startupConfigProblem({ home: options.home, overrides: options.configOverrides, strict: options.strictConfig });
        if (problem !== null) return fail(`keel: ${problem}\n`, 2);
      }
      await serve(options);
    }
  }
}

process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
let command: Command | undefined;
try {
  command = parseCommandLine(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  fail(usageErrorText(error), 2);
}
if (command !== undefined) {
  run(command).catch((error: unknown) => {
    logger.fatal({ err: error }, 'keel could not start');
    process.exit(1);
  });
}
