// A typed client for Keel (or any Codex app-server) in Node: spawns the server or attaches to a
// pair of streams and speaks JSONL on them. Everything about the protocol (requests, server
// requests, folding every notification with core's reducer, so a UI built on it sees exactly what
// thread/read would return) is KeelConnection's; this adds the streams and the process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { KeelConnection } from './keel-connection.js';
import { KeelRpcError, SERVER_EXITED } from './rpc-error.js';
import { defaultServerCommand } from './server-command.js';

export { KeelConnection, threadOf, type Incoming, type Notification, type NotificationOf, type RequestHandler, type ServerRequestHandler, type WireMessage } from './keel-connection.js';
export { KeelRpcError, METHOD_NOT_FOUND, SERVER_EXITED } from './rpc-error.js';
export { defaultAnswers } from './default-answers.js';
export { toWireThread } from './thread-view.js';
export type { ClientRequests, ServerNotifications, ServerRequests } from '../../generated/methods.js';
export type { ClientSettings } from '../../src/core/events.js';
export type { Thread, ThreadItem, ThreadStatus, Turn } from '../../generated/protocol.js';
export type { KeelState, ThreadState } from '../../src/core/state.js';

export interface SpawnKeelOptions {
  /** The server command; defaults to this checkout's built server, else `keel` on the PATH. */
  command?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The two ends of a connection to a server: what it writes, and where to write to it. */
export interface KeelStreams {
  readable: NodeJS.ReadableStream;
  writable: NodeJS.WritableStream;
}

export class KeelClient extends KeelConnection {
  /** Resolves with the server's exit code (null for attached streams, or a signal) once it is gone. */
  readonly exited: Promise<number | null>;
  private readonly streams: KeelStreams;

  constructor(source: ChildProcessWithoutNullStreams | KeelStreams) {
    const child = 'stdin' in source ? source : null;
    const streams = child ? { readable: child.stdout, writable: child.stdin } : (source as KeelStreams);
    super((text) => streams.writable.write(text + '\n'));
    this.streams = streams;
    // A write after the server went away must not crash the host process; pending requests learn
    // of it through `exited`.
    (streams.writable as NodeJS.WritableStream & { on(event: 'error', fn: () => void): void }).on('error', () => {});
    const lines = readline.createInterface({ input: streams.readable });
    lines.on('line', (line) => this.receive(line));
    let failure: Error | null = null;
    this.exited = new Promise<number | null>((resolve) => {
      if (!child) return void lines.on('close', () => resolve(null));
      child.on('close', (code) => resolve(code));
      // A server that never started (no such command): an answer for every request, not a crash.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        failure = error;
        resolve(null);
      });
    }).then((code) => {
      this.disconnect(new KeelRpcError(SERVER_EXITED, failure ? `keel did not start: ${failure.message}` : `keel exited (code ${code})`));
      return code;
    });
  }

  static spawn(options: SpawnKeelOptions = {}): KeelClient {
    const { command, args } = options.command ? { command: options.command, args: options.args ?? [] } : { ...defaultServerCommand(), ...(options.args && { args: options.args }) };
    return new KeelClient(spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: 'pipe' }));
  }

  /** A client on any pair of streams: a socket, an in-process server, a test's pipes. */
  static attach(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream): KeelClient {
    return new KeelClient({ readable, writable });
  }

  /** Ends the server's input; resolves with its exit code once it is gone. */
  async close(): Promise<number | null> {
    this.streams.writable.end();
    return this.exited;
  }
}
