// `keel acp` as an editor runs it: the built program on stdio, driven by the official ACP SDK's
// client side (@agentclientprotocol/sdk). Every line Keel writes is kept (for schema checks), and
// permission requests are answered by the test's own handler. Every line is checked against ACP's
// JSON Schema (acp-schema.ts): a test that started an agent fails, after it, if Keel wrote an invalid
// message — so every test that uses startAcpAgent validates what it saw.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { client, ndJsonStream, type ClientContext, type RequestPermissionRequest, type RequestPermissionResponse, type SessionNotification } from '@agentclientprotocol/sdk';
import { afterEach } from 'vitest';
import { acpMessageProblem } from './acp-schema.js';
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
  /** Adds the client's other handlers (an editor's files and terminal) before it connects. */
  client?: (app: AcpClientApp) => AcpClientApp;
}

export type AcpClientApp = ReturnType<typeof client>;

export interface AcpAgent extends KeelAcpProcess {
  context: ClientContext;
  /** Every session/update, in order. */
  updates: SessionNotification[];
  /** Every permission request, in order. */
  permissions: RequestPermissionRequest[];
}

/** A spawned `keel acp` whose every stdout line is parsed and schema-checked; what a client of any kind drives. */
export interface KeelAcpProcess {
  home: string;
  child: ChildProcess;
  /** Every line Keel wrote on stdout, parsed. */
  lines: unknown[];
  /** What was wrong with lines Keel wrote (not JSON, or not as ACP's schema has them), in order. */
  problems: string[];
  /** The methods of the requests the client sent, by id: a response's schema type is its request's. */
  sent: Map<unknown, string>;
  /** Notes the requests in bytes the client writes to stdin. */
  noteClientBytes(chunk: Buffer): void;
  stderr(): string;
  /** Ends stdin; resolves with the exit code. */
  close(): Promise<number | null>;
}

export function spawnKeelAcp(options: Omit<AcpAgentOptions, 'permission'> = {}): KeelAcpProcess {
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
  const problems: string[] = [];
  const sent = new Map<unknown, string>();
  child.stdout!.on('data', eachLine((line) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return void problems.push(`not JSON: ${line.slice(0, 200)}`);
    }
    lines.push(message);
    const problem = acpMessageProblem(message, (id) => sent.get(id));
    if (problem !== null) problems.push(`${problem}\n    in ${line.slice(0, 400)}`);
  }));
  // Lines the client writes that are not JSON requests (the error tests send some) note nothing.
  const noteClientBytes = eachLine((line) => {
    try {
      const message = JSON.parse(line) as { id?: unknown; method?: unknown };
      if (message.id !== undefined && typeof message.method === 'string') sent.set(message.id, message.method);
    } catch {
      // not JSON: Keel answers it with a parse error, typed by the schema's Error alone
    }
  });
  const process_: KeelAcpProcess = {
    home,
    child,
    lines,
    problems,
    sent,
    noteClientBytes,
    stderr: () => stderr,
    close: async () => {
      child.stdin!.end();
      return exited;
    },
  };
  startedInThisTest.push(process_);
  return process_;
}

export async function startAcpAgent(options: AcpAgentOptions = {}): Promise<AcpAgent> {
  const keel = spawnKeelAcp(options);
  const { child } = keel;
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
  options.client?.(app);
  // What the client writes passes through here on its way to stdin, to note its requests' ids.
  const toAgent = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      keel.noteClientBytes(Buffer.from(chunk));
      controller.enqueue(chunk);
    },
  });
  void toAgent.readable.pipeTo(Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>).catch(() => {});
  const stream = ndJsonStream(toAgent.writable, Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>);
  const context = app.connect(stream).agent;
  return { ...keel, context, updates, permissions };
}

/** Calls `take` with each complete line of a byte stream. */
export function eachLine(take: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') take(line);
  };
}

// After each test (and after the test file's own afterEach, which runs first): the agents it
// started are stopped, so their last lines are read, and any invalid message fails the test.
const startedInThisTest: KeelAcpProcess[] = [];
afterEach(async () => {
  const agents = startedInThisTest.splice(0);
  await Promise.all(agents.map((agent) => (agent.child.exitCode === null && agent.child.signalCode === null ? agent.close() : undefined)));
  const problems = agents.flatMap((agent) => agent.problems);
  if (problems.length > 0) throw new Error(`keel acp wrote ${problems.length} message(s) ACP's schema rejects:\n  ${problems.join('\n  ')}`);
});
