// The TypeScript client library against the real server: typed requests, notifications folded by
// the core reducer into the same thread thread/read returns, server requests answered by
// handlers or by the safe defaults.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelClient, KeelRpcError, SERVER_EXITED, type Notification } from '../../clients/typescript/keel-client.js';

import { makeTempHome } from '../helpers/keel-process.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { testUserHome } from '../helpers/user-home.js';

const fake = useFakeModelServer();

const offlineEnv = (home: string) => ({ ...process.env, KEEL_HOME: home, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' });

/** A client on a server whose model is the fake Responses server, with a sandbox-friendly HOME. */
async function clientOnFakeModel(): Promise<KeelClient> {
  const env = { ...process.env, KEEL_HOME: makeTempHome(), HOME: testUserHome(), OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, KEEL_SCRIPT: '' };
  const keel = KeelClient.spawn({ env });
  await keel.open();
  return keel;
}

/** The model runs `touch made.txt` (which an untrusted thread must ask about), then says so. */
function scriptTouch(): void {
  fake.script(wire.route, [
    { sse: wire.stream([wire.functionCall('call_1', 'exec_command', JSON.stringify({ cmd: 'touch made.txt' }))]) },
    { sse: wire.stream([wire.message('Made it.')]) },
  ]);
}

/** A notification as a log line: its method, and the item it is about. */
function label(n: Notification): string {
  const item = (n.params as { item?: { id: string }; itemId?: string }).item?.id ?? (n.params as { itemId?: string }).itemId;
  return item === undefined ? n.method : `${n.method} ${item}`;
}

/** Runs a turn to its end, logging its notifications into `log`; returns the turn id. */
async function runTurn(keel: KeelClient, threadId: string, text: string, log: string[] = []): Promise<string> {
  const stop = keel.onNotification((n) => log.push(label(n)));
  const done = keel.next('turn/completed', (n) => n.params.threadId === threadId);
  const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text }] });
  await done;
  stop();
  return turn.id;
}

/** The lines from `from` to `to`, inclusive. */
const between = (log: string[], from: string, to: string) => log.slice(log.indexOf(from), log.indexOf(to) + 1);

const untrusted = { approvalPolicy: 'untrusted', sandbox: 'workspace-write' } as const;

describe('clients/typescript', () => {
  it('drives a turn and folds the stream into the thread the server reads back', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-client-'));
    const keel = KeelClient.spawn({ env: offlineEnv(home) });
    const opened = await keel.open();
    expect(opened.codexHome).toBe(home);
    const { thread } = await keel.request('thread/start', { cwd: home });
    const deltas: string[] = [];
    keel.on('item/agentMessage/delta', (params) => deltas.push(params.delta));
    await runTurn(keel, thread.id, 'hi there');
    expect(deltas.join('')).toContain('You said: hi there');
    const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
    expect(keel.wireThread(thread.id)).toEqual(read.thread);
    await expect(keel.request('thread/read', { threadId: 'nope' })).rejects.toEqual(new KeelRpcError(-32600, 'thread not found: nope'));
    expect(await keel.close()).toBe(0);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('answers an approval through onRequest; the command runs and the folded thread equals thread/read', async () => {
    scriptTouch();
    const cwd = workspace();
    const keel = await clientOnFakeModel();
    const { thread } = await keel.request('thread/start', { cwd, ...untrusted });
    const handled: unknown[] = [];
    const log: string[] = [];
    keel.onRequest('item/commandExecution/requestApproval', (params, request) => {
      handled.push({ method: request.method, params });
      log.push(`asked ${request.method}`);
      return { decision: 'accept' };
    });
    const turnId = await runTurn(keel, thread.id, 'make a file', log);
    expect(handled).toEqual([
      {
        method: 'item/commandExecution/requestApproval',
        params: {
          threadId: thread.id,
          turnId,
          itemId: 'call_1',
          kind: 'command',
          startedAtMs: expect.any(Number),
          approvalId: null,
          environmentId: null,
          reason: null,
          command: expect.stringMatching(/bash -lc 'touch made\.txt'$/),
          cwd,
          commandActions: [{ type: 'unknown', command: 'touch made.txt' }],
          proposedExecpolicyAmendment: ['touch', 'made.txt'],
          availableDecisions: ['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch', 'made.txt'] } }, 'cancel'],
        },
      },
    ]);
    expect(between(log, 'item/started call_1', 'item/completed call_1').filter((line) => !line.startsWith('item/commandExecution/outputDelta'))).toEqual([
      'item/started call_1',
      'thread/status/changed',
      'asked item/commandExecution/requestApproval',
      'serverRequest/resolved',
      'thread/status/changed',
      'item/completed call_1',
    ]);
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
    expect(keel.wireThread(thread.id)).toEqual(read.thread);
    expect(read.thread.turns[0]!.items.map((item) => [item.type, 'status' in item ? item.status : null])).toEqual([
      ['userMessage', null],
      ['commandExecution', 'completed'],
      ['agentMessage', null],
    ]);
    expect(await keel.close()).toBe(0);
  });

  it('declines an approval nobody handles: the item ends declined and the command never runs', async () => {
    scriptTouch();
    const cwd = workspace();
    const keel = await clientOnFakeModel();
    const { thread } = await keel.request('thread/start', { cwd, ...untrusted });
    const resolved = keel.next('serverRequest/resolved');
    const completed = keel.next('item/completed', (n) => n.params.item.id === 'call_1');
    await runTurn(keel, thread.id, 'make a file');
    expect((await resolved).params).toEqual({ threadId: thread.id, requestId: expect.anything() });
    expect((await completed).params.item).toEqual({
      type: 'commandExecution',
      id: 'call_1',
      command: expect.stringMatching(/bash -lc 'touch made\.txt'$/),
      cwd,
      processId: null,
      source: 'unifiedExecStartup',
      status: 'declined',
      commandActions: [{ type: 'unknown', command: 'touch made.txt' }],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: 0,
    });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(false);
    const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
    expect(keel.wireThread(thread.id)).toEqual(read.thread);
    expect(await keel.close()).toBe(0);
  });

  it('answers a client tool call nobody handles with success false, which the model reads', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_7', 'lookup_answer', '{"q":"life"}')]) },
      { sse: wire.stream([wire.message('No tool, then.')]) },
    ]);
    const env = { ...process.env, KEEL_HOME: makeTempHome(), OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, KEEL_SCRIPT: '' };
    const keel = KeelClient.spawn({ env });
    await keel.open(undefined, { experimentalApi: true });
    const lookup = { type: 'function', name: 'lookup_answer', description: 'Look up the answer', inputSchema: { type: 'object' } };
    const { thread } = await keel.request('thread/start', { approvalPolicy: 'never', sandbox: 'danger-full-access', dynamicTools: [lookup] } as never);
    const completed = keel.next('item/completed', (n) => n.params.item.id === 'call_7');
    await runTurn(keel, thread.id, 'ask the tool');
    const said = [{ type: 'inputText', text: 'this client does not run tool lookup_answer' }];
    expect((await completed).params.item).toEqual({
      type: 'dynamicToolCall',
      id: 'call_7',
      namespace: null,
      tool: 'lookup_answer',
      arguments: { q: 'life' },
      status: 'failed',
      contentItems: said,
      success: false,
      durationMs: expect.any(Number),
    });
    const input = (conversationBody(fake.calls[1]!).input as Array<Record<string, unknown>>).find((entry) => entry.type === 'function_call_output');
    expect(input).toEqual({ type: 'function_call_output', call_id: 'call_7', output: 'this client does not run tool lookup_answer' });
    expect(await keel.close()).toBe(0);
  });

  it('attaches to streams; a request the server never answers rejects with KeelRpcError when it exits', async () => {
    const home = makeTempHome();
    const child = spawn(process.execPath, [path.resolve('dist/keel.cjs')], { env: offlineEnv(home), stdio: 'pipe' });
    const keel = KeelClient.attach(child.stdout, child.stdin);
    expect((await keel.open()).codexHome).toBe(home);
    child.kill('SIGKILL');
    const gone = new KeelRpcError(SERVER_EXITED, 'keel exited (code null)');
    await expect(keel.request('thread/list', {})).rejects.toEqual(gone);
    expect(await keel.exited).toBe(null);
    await expect(keel.request('thread/list', {})).rejects.toEqual(gone);
  });

  it('a server that does not start rejects requests with KeelRpcError instead of crashing the host', async () => {
    const keel = KeelClient.spawn({ command: '/nonexistent/keel' });
    await expect(keel.open()).rejects.toEqual(new KeelRpcError(SERVER_EXITED, 'keel did not start: spawn /nonexistent/keel ENOENT'));
    expect(await keel.exited).toBe(null);
  });
});
