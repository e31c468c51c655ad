// A sandboxed command cannot become a client of the Keel that runs it: Keel's unix socket is
// covered in every sandbox (with network or without), and a sandbox with network is refused by a
// WebSocket listener that asks no token. The command is a real client (fixtures/intruder) asking
// `command/exec` to run `id -u` unconfined; each time, a client outside keeps working.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { initialized, type KeelProcess, makeTempHome, removeAfterKeel, spawnKeel } from '../helpers/keel-process.js';
import { closeAllSocketClients, SocketClient, socketInitialized } from '../helpers/socket-client.js';
import { completedItems, runTurn } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();
const INTRUDER = path.resolve(__dirname, '../fixtures/intruder/drive-keel.mjs');
const dirs: string[] = [];
afterEach(async () => {
  closeAllSocketClients();
  await removeAfterKeel(dirs);
});

const WORKSPACE_WRITE = { type: 'workspaceWrite' } as const;
const WITH_NETWORK = { type: 'workspaceWrite', networkAccess: true } as const;

/** Keel on stdio and `listen`, a workspace-write thread that asks nothing; resolves with the listener's URL. */
async function keelListening(listen: string): Promise<{ keel: KeelProcess; url: string; threadId: string }> {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-4.1"\n');
  const cwd = workspace();
  const keel = spawnKeel({ cwd, home, args: ['app-server', '--listen', 'stdio://', '--listen', listen], env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  const line = await keel.waitForStderr(/^keel: listening on /);
  await initialized(keel);
  const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
  return { keel, url: line.slice('keel: listening on '.length), threadId: thread.id };
}

/** One turn whose command runs the intruder against `url` under `sandboxPolicy`: what it printed. */
let intrusions = 0;

async function intrude(keel: KeelProcess, threadId: string, url: string, sandboxPolicy: object): Promise<unknown> {
  // A call id of its own each time: a repeated id gets a fresh item id (models that repeat ids).
  const callId = `c_intrude_${++intrusions}`;
  fake.script(wire.route, [
    { sse: wire.stream([wire.functionCall(callId, 'exec_command', JSON.stringify({ cmd: `node ${INTRUDER} ${url}` }))]) },
    { sse: wire.stream([wire.message('Done.')]) },
  ]);
  const before = keel.messages.length;
  await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'drive keel' }], sandboxPolicy } as never);
  await keel.waitFor((m) => m.method === 'turn/completed', 30_000);
  const item = completedItems(keel.messages.slice(before)).find((entry) => entry.id === callId);
  return { status: item?.status, output: item?.aggregatedOutput };
}

/** A client outside the sandbox: connected and answered. */
async function outsideClient(url: string): Promise<SocketClient> {
  const client = await SocketClient.connect(url);
  await socketInitialized(client);
  return client;
}

describe('a unix socket listener outside Keel\'s home', () => {
  it('is out of reach of sandboxed commands with or without network; its clients outside keep working', async () => {
    const dir = fs.mkdtempSync('/var/tmp/keel-listen-');
    dirs.push(dir);
    const { keel, url, threadId } = await keelListening(`unix://${path.join(dir, 'keel.sock')}`);
    const before = await outsideClient(url);
    expect(await intrude(keel, threadId, url, WITH_NETWORK)).toEqual({ status: 'completed', output: 'refused: ECONNREFUSED\n' });
    expect(await intrude(keel, threadId, url, WORKSPACE_WRITE)).toEqual({ status: 'completed', output: 'refused: EPERM\n' });
    expect(await before.request('thread/list', {})).toMatchObject({ data: [expect.objectContaining({ id: threadId })] });
    const after = await outsideClient(url);
    expect(await after.request('thread/list', {})).toMatchObject({ data: [expect.objectContaining({ id: threadId })] });
  });
});

describe('a WebSocket listener without a token', () => {
  it('refuses a sandboxed command that has network (403), is unreachable without network, and serves clients outside', async () => {
    const { keel, url, threadId } = await keelListening('ws://127.0.0.1:0');
    const before = await outsideClient(url);
    expect(await intrude(keel, threadId, url, WITH_NETWORK)).toEqual({ status: 'completed', output: 'refused: HTTP 403\n' });
    expect(await intrude(keel, threadId, url, WORKSPACE_WRITE)).toEqual({ status: 'completed', output: 'refused: EPERM\n' });
    expect(await before.request('thread/list', {})).toMatchObject({ data: [expect.objectContaining({ id: threadId })] });
    const after = await outsideClient(url);
    expect(await after.request('thread/list', {})).toMatchObject({ data: [expect.objectContaining({ id: threadId })] });
    expect(JSON.parse(await keel.waitForStderr(/"websocket connection refused"/))).toMatchObject({ status: 403, reason: expect.stringMatching(/sandbox/) });
  });
});
