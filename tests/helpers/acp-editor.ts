// An editor's side of ACP's filesystem and terminal methods, as a test client serves them: files
// with unsaved buffers (what `fs/read_text_file` answers before the disk), writes that land on
// disk as an editor's save does, and terminals that run real processes. Every request Keel sends
// is kept in order, so tests assert the whole conversation.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { AcpClientApp } from './acp-agent.js';

interface Terminal {
  child: ChildProcess;
  output: string;
  limit: number | null;
  truncated: boolean;
  exit: Promise<{ exitCode: number | null; signal: string | null }>;
}

export interface TestEditor {
  /** Unsaved text by absolute path: what the editor shows and reads answer. */
  buffers: Map<string, string>;
  /** Every request Keel sent to the editor's files and terminals, in order (method and params). */
  requests: Array<{ method: string; params: Record<string, any> }>;
  /** The terminal ids created, in order, with their processes. */
  terminals: Map<string, Terminal>;
  attach(app: AcpClientApp): AcpClientApp;
}

export function testEditor(): TestEditor {
  const buffers = new Map<string, string>();
  const requests: TestEditor['requests'] = [];
  const terminals = new Map<string, Terminal>();
  const note = (method: string, params: Record<string, any>) => void requests.push({ method, params });
  const terminal = (id: string) => {
    const found = terminals.get(id);
    if (found === undefined) throw new Error(`no terminal ${id}`);
    return found;
  };
  return {
    buffers,
    requests,
    terminals,
    attach: (app) =>
      app
        .onRequest('fs/read_text_file', ({ params }) => {
          note('fs/read_text_file', params);
          return { content: buffers.get(params.path) ?? fs.readFileSync(params.path, 'utf8') };
        })
        .onRequest('fs/write_text_file', ({ params }) => {
          note('fs/write_text_file', params);
          // The editor's buffer takes the text and is saved.
          buffers.delete(params.path);
          fs.writeFileSync(params.path, params.content);
          return {};
        })
        .onRequest('terminal/create', ({ params }) => {
          note('terminal/create', params);
          const env = { ...process.env, ...Object.fromEntries((params.env ?? []).map((v) => [v.name, v.value])) };
          const child = spawn(params.command, params.args ?? [], { cwd: params.cwd ?? undefined, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
          const id = `term-${terminals.size + 1}`;
          const entry: Terminal = {
            child,
            output: '',
            limit: params.outputByteLimit ?? null,
            truncated: false,
            exit: new Promise((resolve) => child.once('close', (exitCode, signal) => resolve({ exitCode, signal }))),
          };
          const take = (chunk: Buffer) => {
            entry.output += chunk.toString();
            if (entry.limit !== null && Buffer.byteLength(entry.output) > entry.limit) {
              entry.output = entry.output.slice(-entry.limit);
              entry.truncated = true;
            }
          };
          child.stdout!.on('data', take);
          child.stderr!.on('data', take);
          child.once('error', (error) => take(Buffer.from(String(error))));
          terminals.set(id, entry);
          return { terminalId: id };
        })
        .onRequest('terminal/output', async ({ params }) => {
          note('terminal/output', params);
          const entry = terminal(params.terminalId);
          const exited = entry.child.exitCode !== null || entry.child.signalCode !== null;
          return { output: entry.output, truncated: entry.truncated, ...(exited && { exitStatus: await entry.exit }) };
        })
        .onRequest('terminal/wait_for_exit', async ({ params }) => {
          note('terminal/wait_for_exit', params);
          return terminal(params.terminalId).exit;
        })
        .onRequest('terminal/kill', ({ params }) => {
          note('terminal/kill', params);
          const { child } = terminal(params.terminalId);
          if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
          return {};
        })
        .onRequest('terminal/release', ({ params }) => {
          note('terminal/release', params);
          const { child } = terminal(params.terminalId);
          if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
          return {};
        }),
  };
}

/** The methods of the requests, in order, with repeated `terminal/output` polls folded into one. */
export function requestMethods(editor: TestEditor): string[] {
  return editor.requests.map((r) => r.method).filter((method, index, all) => !(method === 'terminal/output' && all[index - 1] === 'terminal/output'));
}
