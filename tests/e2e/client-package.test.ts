// The BUILT client library (clients/typescript/dist, made by `npm run build`) used from another
// project: a copy of the package installed in a temp dir outside the repo, imported by name from
// plain node, so nothing resolves through this checkout's sources or node_modules.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeTempHome } from '../helpers/keel-process.js';

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

describe('@keel/client, built', () => {
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
