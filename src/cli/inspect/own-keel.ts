// A Keel of the inspector's own, when no --connect is given: this same program serving WebSocket
// on a free loopback port, guarded by a capability token only the inspector knows. It prints
// where it listens on stderr (`keel: listening on ws://…`), which is read for the address; the
// rest of its stderr (its log) passes through.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import readline from 'node:readline';

export interface OwnKeel {
  url: string;
  token: string;
  child: ChildProcess;
  /** SIGTERM (Keel ends its turns and closes its store); resolves once it exited. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export function startOwnKeel(programPath: string, config: readonly string[]): Promise<OwnKeel> {
  const token = crypto.randomBytes(32).toString('base64url');
  const sha256 = crypto.createHash('sha256').update(token).digest('hex');
  const args = [programPath, 'app-server', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-sha256', sha256, ...config.flatMap((value) => ['-c', value])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the Keel it started did not listen within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    let url: string | null = null;
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      const match = url === null ? /^keel: listening on (ws:\/\/\S+)/.exec(line) : null;
      if (match === null) return void process.stderr.write(line + '\n');
      url = match[1]!;
      clearTimeout(timer);
      resolve({ url, token, child, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the Keel it started exited (${signal ?? `code ${code}`}) before it listened`));
    });
  });
}
