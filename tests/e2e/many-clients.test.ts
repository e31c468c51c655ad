// Many clients on one Keel (the daemon on its Unix socket, each client through `keel app-server
// proxy`): a shared turn heard identically by two clients and interrupted by the one that did not
// start it; an approval left pending by a client that dropped, answered after another connects;
// a client cut off mid-stream catching up with thread/resume afterSeq to exactly thread/read.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { foldNotification, type WireNotification } from '../../src/core/codec.js';
import { emptyClientState } from '../../src/core/state.js';
import { toWireThread } from '../../clients/typescript/thread-view.js';

import { daemonHome, proxyClient } from '../helpers/daemon.js';
import { initialized, keelEntry, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';
import { rng } from '../helpers/rng.js';
import { HELLO_METHODS, params, turnHome } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const probe = spawnSync(process.execPath, [keelEntry, 'app-server', '--listen', 'unix:///tmp/keel-listen-probe.sock', '--help'], { encoding: 'utf8', timeout: 15_000 });
const listenerSupported = probe.status === 0;
const fake = useFakeModelServer();

const seqOf = (m: IncomingMessage) => (m as { seq?: number }).seq;
/** The deltas of the mid-stream catch-up tests' turn. */
const DELTAS = 2_000;
const notificationsOf = (client: KeelProcess, from = 0) => client.messages.slice(from).filter((m) => m.method !== undefined && m.id === undefined);
const turnEnded = (turnId: string) => (m: IncomingMessage) => m.method === 'turn/completed' && params(m).turn.id === turnId;
const lastSeq = (client: KeelProcess) => Math.max(0, ...notificationsOf(client).map((m) => seqOf(m) ?? 0));

/** A daemon with the scripted provider, and `count` clients connected to it through proxies. */
async function clients(script: Parameters<typeof turnHome>[0]['script'], count: number): Promise<{ home: string; env: Record<string, string>; all: KeelProcess[] }> {
  const { home, env } = turnHome({ script });
  daemonHome(home);
  const all: KeelProcess[] = [];
  for (let i = 0; i < count; i++) {
    const client = proxyClient(home, env);
    await initialized(client, {});
    all.push(client);
  }
  return { home, env, all };
}

describe.skipIf(!listenerSupported)('many clients on one Keel', () => {
  it('two clients hear one turn identically (same order, same seqs); the one that did not start it interrupts it', async () => {
    const { all: [a, b] } = await clients([[{ text: 'work' }, { text: 'ing' }, { stall: true }]], 2);
    const { thread } = await a!.request('thread/start', {} as never);
    await b!.request('thread/resume', { threadId: thread.id } as never);
    const [fromA, fromB] = [a!.messages.length, b!.messages.length];
    const { turn } = await a!.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await b!.waitFor((m) => m.method === 'item/agentMessage/delta' && params(m).delta === 'ing', 10_000);
    expect(await b!.request('turn/interrupt', { threadId: thread.id, turnId: turn.id })).toEqual({});
    await Promise.all([a!.waitFor(turnEnded(turn.id), 10_000), b!.waitFor(turnEnded(turn.id), 10_000)]);
    const heard = (client: KeelProcess, from: number) => notificationsOf(client, from).map((m) => [m.method, seqOf(m), m.params]);
    expect(heard(b!, fromB)).toEqual(heard(a!, fromA));
    // A hello's notifications, interrupted before its usage was reported.
    expect(heard(a!, fromA).map(([method]) => method)).toEqual(HELLO_METHODS.filter((method) => method !== 'thread/tokenUsage/updated'));
    expect(params(notificationsOf(a!).find(turnEnded(turn.id))!).turn.status).toBe('interrupted');
  }, 30_000);

  it('an approval pending when its client drops is asked again of the client that reconnects, and its answer runs the command', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'exec_command', JSON.stringify({ cmd: 'touch made.txt' }))]) },
      { sse: wire.stream([wire.message('Made it.')]) },
    ]);
    const home = daemonHome();
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` };
    const a = proxyClient(home, env);
    await initialized(a, {});
    const { thread } = await a.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'danger-full-access' } as never);
    const { turn } = await a.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'make a file' }] });
    const askedA = await a.waitFor((m) => m.method === 'item/commandExecution/requestApproval' && m.id !== undefined, 10_000);
    const seen = lastSeq(a);
    await a.kill('SIGKILL'); // the client vanishes without answering

    const b = proxyClient(home, env);
    await initialized(b, {});
    await b.request('thread/resume', { threadId: thread.id, afterSeq: seen } as never);
    const askedB = await b.waitFor((m) => m.method === 'item/commandExecution/requestApproval' && m.id !== undefined, 10_000);
    expect(askedB.params).toEqual(askedA.params);
    b.sendLine(JSON.stringify({ id: askedB.id, result: { decision: 'accept' } }));
    await b.waitFor(turnEnded(turn.id), 10_000);
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    const after = notificationsOf(b);
    expect(params(after.find((m) => m.method === 'serverRequest/resolved')!)).toEqual({ threadId: thread.id, requestId: askedB.id });
    expect(params(after.find(turnEnded(turn.id))!).turn.status).toBe('completed');
    const { approvals } = (await b.request('thread/read', { threadId: thread.id, includeApprovals: true } as never)) as { approvals: Array<Record<string, unknown>> };
    expect(approvals.map((entry) => [entry.decision, entry.decidedBy])).toEqual([['accept', 'client']]);
  }, 30_000);

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: a client cut off mid-stream catches up with afterSeq; folded, it equals thread/read`, async () => {
      // Where A stops reading: a loaded machine may deliver more before the kill, never less.
      const cut = 1 + rng(seed).int(DELTAS - 500);
      const { home, env, all: [a] } = await clients([[{ repeatText: { text: 'tok ', count: DELTAS } }, { stall: true }]], 1);
      const { thread } = await a!.request('thread/start', {} as never);
      const from = a!.messages.length;
      const { turn } = await a!.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'stream' }] });
      await a!.waitFor(() => notificationsOf(a!, from).filter((m) => m.method === 'item/agentMessage/delta').length >= cut, 10_000);
      // What A has read when it goes: anything after is never seen by it.
      const heardByA = notificationsOf(a!);
      a!.abandonOutput();
      await a!.kill('SIGKILL');

      const b = proxyClient(home, env);
      await initialized(b, {});
      await b.request('thread/resume', { threadId: thread.id, afterSeq: Math.max(...heardByA.map((m) => seqOf(m) ?? 0)) } as never);
      const deltasHeard = () => [...heardByA, ...notificationsOf(b)].filter((m) => m.method === 'item/agentMessage/delta').length;
      if (deltasHeard() < DELTAS) await b.waitFor(() => deltasHeard() >= DELTAS, 10_000);
      await b.request('turn/interrupt', { threadId: thread.id, turnId: turn.id });
      await b.waitFor(turnEnded(turn.id), 10_000);

      const all = [...heardByA, ...notificationsOf(b)] as unknown as WireNotification[];
      const deltas = all.filter((m) => m.method === 'item/agentMessage/delta').map((m) => (m.params as { delta: string }).delta);
      expect(deltas.join('')).toBe('tok '.repeat(DELTAS));
      const folded = all.reduce(foldNotification, emptyClientState).threads[thread.id]!;
      const { thread: read } = await b.request('thread/read', { threadId: thread.id, includeTurns: true });
      expect(toWireThread(folded, read.status)).toEqual(read);
    }, 30_000);
  }
});

describe.skipIf(!listenerSupported)('clients that come and go', () => {
  it('turns_without_clients = "interrupt": the turn ends when its last client disconnects', async () => {
    const { home, env } = turnHome({ script: [[{ text: 'working' }, { stall: true }]], keel: ['turns_without_clients = "interrupt"'] });
    daemonHome(home);
    const a = proxyClient(home, env);
    await initialized(a, {});
    const { thread } = await a.request('thread/start', {} as never);
    const { turn } = await a.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await a.waitFor((m) => m.method === 'item/agentMessage/delta', 10_000);
    const seen = lastSeq(a);
    await a.kill('SIGKILL');
    const b = proxyClient(home, env);
    await initialized(b, {});
    await b.request('thread/resume', { threadId: thread.id, afterSeq: seen } as never);
    const ended = await b.waitFor(turnEnded(turn.id), 10_000);
    expect(params(ended).turn.status).toBe('interrupted');
  }, 30_000);

  it('the client library picks up where a dropped client left off (takeOver): folded, the thread equals thread/read', async () => {
    const { KeelClient } = await import('../../clients/typescript/keel-client.js');
    const { home, env } = turnHome({ script: [[{ text: 'Hel' }, { text: 'lo' }, { stall: true }]] });
    daemonHome(home);
    const spawnProxy = () => KeelClient.spawn({ command: process.execPath, args: [keelEntry, 'app-server', 'proxy'], env: { ...process.env, KEEL_HOME: home, ...env } });
    const first = spawnProxy();
    await first.open();
    const { thread } = await first.request('thread/start', {});
    // Listening before turn/start is sent: next() hears only what comes after it, and the first delta
    // may reach the client in the same read as the answer (on a loaded machine it did, and the test hung).
    const firstDelta = first.next('item/agentMessage/delta');
    const { turn } = await first.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await firstDelta;
    await first.close();
    expect(first.lastSeq(thread.id)).toBeGreaterThan(0);

    const second = spawnProxy();
    await second.open();
    await second.takeOver(first);
    // Listening before the interrupt is sent: the turn's end may come before the interrupt's answer.
    const ended = second.next('turn/completed', (n) => n.params.turn.id === turn.id);
    await second.request('turn/interrupt', { threadId: thread.id, turnId: turn.id });
    await ended;
    const read = await second.request('thread/read', { threadId: thread.id, includeTurns: true });
    expect(second.wireThread(thread.id)).toEqual(read.thread);
    await second.close();
  }, 30_000);
});
