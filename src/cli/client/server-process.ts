// The app-server a client command talks to: this same Keel, started as `keel app-server` with the
// command's `-c` flags, in a process group of its own (a Ctrl-C at the terminal is for the client
// to turn into turn/interrupt, not for the server), its warnings passed through to stderr.
import { spawn } from 'node:child_process';
import { KeelClient } from '../../../clients/typescript/keel-client.js';

export async function startServer(config: readonly string[], capabilities: { experimentalApi?: boolean } = {}): Promise<KeelClient> {
  const entry = process.argv[1] ?? '';
  const args = [entry, 'app-server', ...config.flatMap((value) => ['-c', value])];
  // Info lines (e.g. "no model provider configured") would drown the turn; warnings and errors show.
  const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const client = new KeelClient(child);
  await client.open({ name: 'keel-exec', version: '0.1.0' }, capabilities);
  return client;
}

/** A request's failure as one line. */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
