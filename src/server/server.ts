// Serves one client over its channel: the output pacing, the JSON-RPC connection, the session, dispatch.
import type { Log } from '../log.js';
import type { Channel } from '../transport/channel.js';
import { codexDialect, type Dialect } from '../transport/dialect.js';
import { OutputWriter } from '../transport/output-writer.js';
import { RpcConnection } from '../transport/rpc-connection.js';
import { Dispatcher, type Forwarder, type Routes } from './dispatch.js';
import { Session } from './session.js';
import { realClock, type Clock, type TimerHandle } from '../kernel/clock.js';

/**
 * Why a connection ended: its input ended, its output broke, its client stopped reading (for the
 * stall timeout), or left more output unread than the limit.
 */
export type CloseReason = 'input ended' | 'output failed' | 'client stopped reading' | 'output limit exceeded';

export interface ConnectionOptions {
  /** How long a client may leave Keel's output unread (producers paused) before it is treated as gone. */
  stallTimeoutMs: () => number;
  /** The most output a client may leave unread; past it the connection is dropped at once. Asked per message. */
  outputLimitBytes: () => number;
  /** How messages are spelled: Codex's (every listener today) unless said otherwise. */
  dialect?: Dialect;
  /** The stall timer's clock; absent: the real one. */
  clock?: Clock;
  /** Makes each connection's forwarder of requests for threads other Keel processes run (peers/peer-forwarding.ts); absent: none is forwarded. */
  forwarder?: () => Forwarder;
}

export interface ConnectionHandle {
  session: Session;
  /** Resolves once the input has ended and every request read before EOF has been answered, the output broke, or the client stalled. */
  closed: Promise<CloseReason>;
  /** Writes buffered output and resolves when the stream has taken it. */
  flush(): Promise<void>;
  dispose(): void;
}

export function serveConnection(channel: Channel, routes: Routes, logger: Log, options: ConnectionOptions): ConnectionHandle {
  const forwarder = options.forwarder?.();
  const dispatcher = new Dispatcher(routes, logger, forwarder);
  const core = connectionCore(channel, logger, options, (writer) =>
    new RpcConnection(writer, {
      request: ({ id, method, params, signal, afterResponse }) => dispatcher.handleRequest({ id, method, params, session, signal, afterResponse }),
      notification: (method) => dispatcher.handleNotification(method, session),
    }, logger, options.dialect ?? codexDialect),
  );
  const session = new Session({
    // Notifications go straight out: the dialect stamps `emittedAtMs` with the event's time.
    sendNotification: (method, params, emittedAtMs, seq) => core.connection.notify(method, params, emittedAtMs, seq),
    sendRequest: (method, params) => core.connection.request(method, params),
    whenWritable: () => core.writer.whenWritable(),
  });
  core.start();
  return {
    session,
    closed: core.closed,
    flush: core.flush,
    dispose: () => {
      core.dispose();
      forwarder?.close();
    },
  };
}

/** One client's connection without its protocol: what the app-server and `keel acp` (acp/acp-server.ts) share. */
export interface ConnectionCore {
  connection: RpcConnection;
  writer: OutputWriter;
  closed: Promise<CloseReason>;
  /** Starts reading the channel: called once the session the handlers use exists. */
  start(): void;
  flush(): Promise<void>;
  dispose(): void;
}

/**
 * The output pacing, output limit, stall watch and drain-then-close of one connection, around the
 * RpcConnection `connect` makes on its writer (whose dialect and handlers are the protocol's).
 */
export function connectionCore(channel: Channel, logger: Log, options: ConnectionOptions, connect: (writer: OutputWriter) => RpcConnection): ConnectionCore {
  let inputEnded = false;
  let open = true;
  let resolveClosed!: (reason: CloseReason) => void;
  const closed = new Promise<CloseReason>((resolve) => (resolveClosed = resolve));
  const close = (reason: CloseReason) => {
    open = false;
    resolveClosed(reason);
  };
  const writer = new OutputWriter(channel, { limitBytes: options.outputLimitBytes });
  writer.onError(() => close('output failed'));
  writer.onOverflow((bufferedBytes, limitBytes) => {
    logger.warn({ bufferedBytes, limitBytes }, `the client left more than ${limitBytes} bytes of Keel's output unread; dropping it`);
    close('output limit exceeded');
  });
  watchOutputPressure(writer, channel, logger, options, {
    isOpen: () => open,
    gone: () => close('client stopped reading'),
  });
  const connection = connect(writer);
  // The reply is written before the answered count moves; a macrotask later it is buffered.
  const closeWhenDrained = () => {
    if (inputEnded && connection.pendingRequests === 0) setImmediate(() => close('input ended'));
  };
  connection.onAnswered(closeWhenDrained);
  let stopReading = () => {};
  return {
    connection,
    writer,
    closed,
    start: () => {
      stopReading = channel.listen({
        message: (text) => connection.receive(text),
        oversize: (maxBytes) => connection.oversize(maxBytes),
        end: () => {
          inputEnded = true;
          closeWhenDrained();
        },
      });
    },
    flush: () => writer.flush(),
    dispose: () => {
      stopReading();
      connection.close();
    },
  };
}

/**
 * While the client leaves Keel's output unread, producers pause (see OutputWriter) and no
 * more requests are read either, so nothing grows; a client that stays away for the stall timeout
 * is treated as gone.
 */
export function watchOutputPressure(
  writer: OutputWriter,
  input: Pick<Channel, 'pause' | 'resume'>,
  logger: Log,
  options: ConnectionOptions,
  { isOpen, gone }: { isOpen: () => boolean; gone: () => void },
): void {
  const clock = options.clock ?? realClock;
  let stall: TimerHandle | null = null;
  // A client that reads, however slowly, is not gone: the clock restarts while it takes output.
  const watch = (timeoutMs: number, takenBefore: number) => {
    stall = clock.setTimeout(() => {
      if (writer.takenBytes() > takenBefore) return watch(timeoutMs, writer.takenBytes());
      logger.warn({ timeoutMs, bufferedBytes: writer.bufferedBytes(), rssBytes: process.memoryUsage().rss }, `the client has not read any of Keel's output for ${timeoutMs} ms; treating it as gone`);
      gone();
    }, timeoutMs, { unref: true });
  };
  writer.onPressure((congested) => {
    if (congested) {
      input.pause();
      logger.info({ bufferedBytes: writer.bufferedBytes() }, 'the client is not reading; pausing output producers');
      watch(options.stallTimeoutMs(), writer.takenBytes());
    } else {
      if (stall) clock.clearTimeout(stall);
      stall = null;
      input.resume();
      // The output also lets go when it closes (or was dropped): that is no catching up.
      if (isOpen()) logger.info('the client caught up; resuming');
    }
  });
}
