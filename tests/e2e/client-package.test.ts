// The BUILT client library (clients/typescript/dist, made by `npm run build`) used from another
// project: a copy of the package installed in a temp dir outside the repo, imported by name from
// plain node, so nothing resolves through this checkout's sources or node_modules.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/conformance.js';
import { makeTempHome, spawnKeel } from '../helpers/keel-process.js';

const consumer = `
import { KeelClient, KeelRpcError } from '@keel/client';
const [server, home] = process.argv.slice(2);
const keel = KeelClient.spawn({ command: process.execPath, args: [server], env: { ...process.env, KEEL_HOME: home, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' } });
await keel.open();
const { thread } = await keel.request('thread/start', { cwd: home });
const done = keel.next('turn/completed');
await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'from afar' }] });
await done;
const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
const error = await keel.request('thread/read', { threadId: 'nope' }).catch((e) => ({ rpcError: e instanceof KeelRpcError, code: e.code, message: e.message }));
console.log(JSON.stringify({ view: keel.wireThread(thread.id), read: read.thread, error, exit: await keel.close() }));
`;

// `@keel/client/websocket` as a browser would use it: a WHATWG WebSocket (here the ws package's,
// which has the same interface) to a Keel listening on ws://.
const websocketConsumer = `
import WebSocket from 'ws';
import { connectWebSocket, KeelRpcError } from '@keel/client/websocket';
const [url] = process.argv.slice(2);
const { connection, closed, close } = await connectWebSocket(url, WebSocket);
const wire = [];
connection.onWire(({ direction, message }) => wire.push(direction + ' ' + (message.method ?? 'answer')));
await connection.open({ name: 'ws-consumer', version: '1.0.0' });
const { thread } = await connection.request('thread/start', {});
const done = connection.next('turn/completed');
await connection.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'over a socket' }] });
await done;
const read = await connection.request('thread/read', { threadId: thread.id, includeTurns: true });
const adopted = new (connection.constructor)(() => {});
adopted.adoptThread(read.thread);
close();
const { code } = await closed;
const after = await connection.request('thread/list', {}).catch((e) => ({ rpcError: e instanceof KeelRpcError, code: e.code }));
console.log(JSON.stringify({ view: connection.wireThread(thread.id), adopted: adopted.wireThread(thread.id), read: read.thread, wire: wire.slice(0, 4), code, after }));
`;

describe('@keel/client, built', () => {
  it('@keel/client/websocket has nothing of Node in it and drives a turn over a WebSocket', async () => {
    const bundle = fs.readFileSync('clients/typescript/dist/websocket.js', 'utf8');
    expect(bundle.match(/["']node:[a-z_/]+["']/g)).toBeNull();
    const keel = spawnKeel({ args: ['--listen', 'ws://127.0.0.1:0'] });
    const url = (await keel.waitForStderr(/listening on ws:\/\/\S+/)).match(/ws:\/\/\S+/)![0];
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-consumer-'));
    const installed = path.join(project, 'node_modules', '@keel', 'client');
    fs.mkdirSync(installed, { recursive: true });
    fs.copyFileSync('clients/typescript/package.json', path.join(installed, 'package.json'));
    fs.cpSync('clients/typescript/dist', path.join(installed, 'dist'), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules', 'ws'), path.join(project, 'node_modules', 'ws'));
    fs.writeFileSync(path.join(project, 'main.mjs'), websocketConsumer);
    const { stdout } = await promisify(execFile)(process.execPath, ['main.mjs', url], { cwd: project, timeout: 15_000 });
    const out = JSON.parse(stdout) as { view: { turns: Array<{ items: Array<{ type: string; text?: string }> }> }; adopted: unknown; read: unknown; wire: string[]; code: number; after: unknown };
    expect(out.view).toEqual(out.read);
    expect(out.adopted).toEqual(out.read);
    expect(out.view.turns[0]!.items[1]!.text).toContain('You said: over a socket');
    expect(out.wire).toEqual(['out initialize', 'in answer', 'out initialized', 'out thread/start']);
    expect(out.code).toBe(1005);
    expect(out.after).toEqual({ rpcError: true, code: -32099 });
    fs.rmSync(project, { recursive: true, force: true });
    // Only ws:// served: stdin's end does not stop it.
    expect((await keel.kill('SIGTERM')).code).toBe(0);
  });

  it('is imported by name from a project outside the repo and drives a turn', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-consumer-'));
    const installed = path.join(project, 'node_modules', '@keel', 'client');
    fs.mkdirSync(installed, { recursive: true });
    fs.copyFileSync('clients/typescript/package.json', path.join(installed, 'package.json'));
    fs.cpSync('clients/typescript/dist', path.join(installed, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(project, 'main.mjs'), consumer);
    const home = makeTempHome();
    const { stdout } = await promisify(execFile)(process.execPath, ['main.mjs', path.resolve('dist/keel.cjs'), home], { cwd: project, timeout: 15_000 });
    const out = JSON.parse(stdout) as { view: { turns: Array<{ items: Array<{ type: string; text?: string }> }> }; read: unknown; error: unknown; exit: number };
    expect(out.view).toEqual(out.read);
    expect(out.view.turns[0]!.items.map((item) => item.type)).toEqual(['userMessage', 'agentMessage']);
    expect(out.view.turns[0]!.items[1]!.text).toContain('You said: from afar');
    expect(out.error).toEqual({ rpcError: true, code: -32600, message: 'thread not found: nope' });
    expect(out.exit).toBe(0);
    fs.rmSync(project, { recursive: true, force: true });
  });
});
