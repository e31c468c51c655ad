// `keel app-server proxy`: connects to the daemon's socket — starting the daemon first when none
// listens, unless --no-start — then bridges stdio to it until either side ends. Stdout carries the
// protocol only; what the proxy itself has to say goes to stderr. stdin is not read before the
// socket is open, so what a client writes meanwhile waits in the pipe, in order.
import type { DaemonCommand } from '../daemon-command-line.js';
import { DaemonError } from './daemon-control.js';
import { daemonPaths, type DaemonPaths } from './daemon-paths.js';
import { describeError, isNoListener, openDaemonSocket, type DaemonConnection } from './daemon-socket.js';
import { LockTimeout } from './lock-file.js';
import { osDaemonControl } from './os-daemon-control.js';
import { startDaemon } from './start-daemon.js';
import { bridgeStdio, type BridgeEnd } from './stdio-bridge.js';

type ProxyCommand = Extract<DaemonCommand, { command: 'proxy' }>;

/** At exit, how long the proxy waits for the client to take the last of its output. */
const FLUSH_MS = 5_000;
/** Close codes of a daemon that ended the connection on purpose (1000 normal, 1001 going away). */
const NORMAL_CLOSE = new Set([1000, 1001]);

const say = (text: string) => process.stderr.write(`keel app-server proxy: ${text}\n`);

class ProxyError extends Error {}

async function connectOrStart(command: ProxyCommand, paths: DaemonPaths): Promise<DaemonConnection> {
  try {
    return await openDaemonSocket(paths.socketPath);
  } catch (error) {
    if (!isNoListener(error)) throw new ProxyError(`cannot connect to ${paths.socketPath}: ${describeError(error)}`);
    if (command.noStart) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ProxyError(`no daemon listens on ${paths.socketPath} (${code}); start one with \`keel app-server daemon start\`, or leave out --no-start`);
    }
  }
  const started = await startDaemon(paths, [], osDaemonControl(command.home));
  if (started.startedNow) say(`started the daemon (pid ${started.record.pid}) on ${paths.socketPath}; its log: ${paths.logFile}`);
  return openDaemonSocket(paths.socketPath);
}

function flushed(output: NodeJS.WriteStream): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => output.write('', () => resolve())), new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS).unref())]);
}

function exitCodeOf(end: BridgeEnd): number {
  if (end.reason === 'closed-by-client') return 0;
  if (end.reason === 'output-failed') {
    say(`stdout failed (${end.error.message}): the client went away`);
    return 0;
  }
  const why = end.text === '' ? String(end.code) : `${end.code}: ${end.text}`;
  if (NORMAL_CLOSE.has(end.code)) {
    say(`the daemon closed the connection (${why})`);
    return 0;
  }
  say(`the connection to the daemon ended abnormally (${why})`);
  return 1;
}

export async function runProxy(command: ProxyCommand): Promise<number> {
  const paths = daemonPaths(command.home, command.socketPath);
  // A client stopping its server with a signal: the daemon sees a normal close, not a dropped one.
  // Heard from the start; one that comes while connecting stops the bridge as soon as it exists.
  let stopRequested = false;
  let stop = (): void => {
    stopRequested = true;
  };
  const onSignal = () => stop();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let connection: DaemonConnection;
  try {
    connection = await connectOrStart(command, paths);
  } catch (error) {
    const known = error instanceof ProxyError || error instanceof DaemonError || error instanceof LockTimeout;
    say(known ? error.message : `cannot connect to ${paths.socketPath}: ${describeError(error)}`);
    if (error instanceof DaemonError && error.detail !== '') process.stderr.write(error.detail.endsWith('\n') ? error.detail : `${error.detail}\n`);
    return 1;
  }
  const bridge = bridgeStdio(process.stdin, process.stdout, connection);
  stop = bridge.stop;
  if (stopRequested) bridge.stop();
  const end = await bridge.ended;
  process.stdin.destroy();
  await flushed(process.stdout);
  return exitCodeOf(end);
}
