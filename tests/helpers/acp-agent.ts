// `keel acp` as an editor runs it: the built program on stdio, driven by the official ACP SDK's
// client side (@agentclientprotocol/sdk). Every line Keel writes is kept (for schema checks), and
// permission requests are answered by the test's own handler.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { client, ndJsonStream, type ClientContext, type RequestPermissionRequest, type RequestPermissionResponse, type SessionNotification } from '@agentclientprotocol/sdk';
import { keelEntry } from './keel-process.js';
import { testUserHome } from './user-home.js';

export interface AcpAgentOptions {
  /** The scripted model's responses (KEEL_SCRIPT). */
  script?: unknown;
  home?: string;
  env?: Record<string, string | undefined>;
  args?: string[];
  /** Answers session/request_permission; default: the first "allow" option. */
  permission?: (request: RequestPermissionRequest) => RequestPermissionResponse | Promise<RequestPermissionResponse>;
}

export interface AcpAgent {
  context: ClientContext;
  home: string;
  child: ChildProcess;
  /** Every session/update, in order. */
  updates: SessionNotification[];
  /** Every permission request, in order. */
  permissions: RequestPermissionRequest[];
  /** Every line Keel wrote on stdout, parsed. */
  lines: unknown[];
  stderr(): string;
  /** Ends stdin; resolves with the exit code. */
  close(): Promise<number | null>;
}

export async function startAcpAgent(options: AcpAgentOptions = {}): Promise<AcpAgent> {
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acp-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_HOME: home, HOME: testUserHome(), ...options.env };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'KEEL_DB', 'KEEL_SCRIPT']) if (options.env?.[name] === undefined) delete env[name];
  if (options.script !== undefined) {
    const file = path.join(home, 'script.json');
    fs.writeFileSync(file, JSON.stringify(options.script));
    env.KEEL_SCRIPT = file;
  }
  const child = spawn(process.execPath, [keelEntry, 'acp', ...(options.args ?? [])], { env, cwd: home, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: unknown[] = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') lines.push(JSON.parse(line));
  });
  const updates: SessionNotification[] = [];
  const permissions: RequestPermissionRequest[] = [];
  const app = client()
    .onNotification('session/update', ({ params }) => void updates.push(params))
    .onRequest('session/request_permission', ({ params }) => {
      permissions.push(params);
      if (options.permission) return options.permission(params);
      const allow = params.options.find((option) => option.kind === 'allow_once')!;
      return { outcome: { outcome: 'selected', optionId: allow.optionId } };
    });
  const stream = ndJsonStream(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>);
  const context = app.connect(stream).agent;
  return {
    context,
    home,
    child,
    updates,
    permissions,
    lines,
    stderr: () => stderr,
    close: async () => {
      child.stdin!.end();
      return exited;
    },
  };
}
