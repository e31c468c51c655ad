// Wires one JSON-RPC connection over a pair of streams: JSONL framing, the session, dispatch.
import type { Readable, Writable } from 'node:stream';
import type { Log } from '../log.js';
import { createMessageConnection, type Message, type MessageStrategy, type Logger as RpcLogger } from 'vscode-jsonrpc/node';
import { JsonlMessageReader } from '../transport/jsonl-reader.js';
import { JsonlMessageWriter } from '../transport/jsonl-writer.js';
import { RequestIds } from '../transport/request-ids.js';
import { Dispatcher, type Routes } from './dispatch.js';
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
  /** The stall timer's clock; absent: the real one. */
  clock?: Clock;
}

export interface ConnectionHandle {
  session: Session;
  /** Resolves once the input has ended and every request read before EOF has been answered, the output broke, or the client stalled. */
  closed: Promise<CloseReason>;
  /** Writes buffered output and resolves when the stream has taken it. */
  flush(): Promise<void>;
  dispose(): void;
}

function rpcLogger(logger: Log): RpcLogger {
  return {
    error: (message) => logger.error(message),
    warn: (message) => logger.warn(message),
    info: (message) => logger.debug(message),
    log: (message) => logger.trace(message),
  };
}

export function serveConnection(input: Readable, output: Writable, routes: Routes, logger: Log, options: ConnectionOptions): ConnectionHandle {
  let requestsRead = 0;
  let requestsAnswered = 0;
  let inputEnded = false;
  let open = true;
  let resolveClosed!: (reason: CloseReason) => void;
  const closed = new Promise<CloseReason>((resolve) => (resolveClosed = resolve));
  const close = (reason: CloseReason) => {
    open = false;
    resolveClosed(reason);
  };
  // The reply is written a few microtasks after the handler settles; a macrotask later it is buffered.
  const closeWhenDrained = () => {
    if (inputEnded && requestsAnswered === requestsRead) setImmediate(() => close('input ended'));
  };

  const ids = new RequestIds();
  const writer = new JsonlMessageWriter(output, ids, { limitBytes: options.outputLimitBytes });
  writer.onError(() => close('output failed'));
  writer.onOverflow((bufferedBytes, limitBytes) => {
    logger.warn({ bufferedBytes, limitBytes }, `the client left more than ${limitBytes} bytes of Keel's output unread; dropping it`);
    close('output limit exceeded');
  });
  watchOutputPressure(writer, input, logger, options, {
    isOpen: () => open,
    gone: () => close('client stopped reading'),
  });
  const reader = new JsonlMessageReader(input, {
    onReject: (id, error) => writer.writeRejection(id, error.toJson()),
    onRequest: () => requestsRead++,
    onEnd: () => {
      inputEnded = true;
      closeWhenDrained();
    },
  }, ids);
  // vscode-jsonrpc hands a request handler no id; its message strategy sees each message right
  // before it calls the handler (synchronously), which is where the request's id is taken from.
  let dispatching: number | undefined;
  const messageStrategy: MessageStrategy = {
    handleMessage(message: Message, next: Parameters<MessageStrategy['handleMessage']>[1]) {
      const id = (message as { id?: unknown }).id;
      dispatching = typeof id === 'number' ? id : undefined;
      try {
        return next(message);
      } finally {
        dispatching = undefined;
      }
    },
  };
  const connection = createMessageConnection(reader, writer, rpcLogger(logger), { messageStrategy });
  // vscode-jsonrpc numbers this connection's server requests 0, 1, 2… (as Codex does); the same
  // count here tells a request's id to whoever must later name it (serverRequest/resolved).
  let nextServerRequestId = 0;
  const session = new Session({
    // Notifications go straight to the writer: it stamps `emittedAtMs` with the event's time.
    sendNotification: (method, params, emittedAtMs, seq) => writer.writeNotification(method, params, emittedAtMs, seq),
    sendRequest: (method, params) => ({ id: nextServerRequestId++, answer: connection.sendRequest(method, params) }),
    whenWritable: () => writer.whenWritable(),
  });
  const dispatcher = new Dispatcher(routes, logger, (requestId, task) => writer.afterResponse(requestId, task));

  connection.onRequest((method, params, token) => {
    const requestId = dispatching ?? -1;
    if (requestId === -1) logger.error({ method }, 'a request reached its handler without an id: its after-response work will not run');
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return dispatcher.handleRequest({ method, params, requestId, session, signal: abort.signal }).finally(() => {
      requestsAnswered++;
      closeWhenDrained();
    });
  });
  connection.onNotification((method) => dispatcher.handleNotification(method, session));
  connection.listen();

  return { session, closed, flush: () => writer.flush(), dispose: () => connection.dispose() };
}

/**
 * While the client leaves Keel's output unread, producers pause (see JsonlMessageWriter) and no
 * more requests are read either, so nothing grows; a client that stays away for the stall timeout
 * is treated as gone.
 */
function watchOutputPressure(
  writer: JsonlMessageWriter,
  input: Readable,
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
