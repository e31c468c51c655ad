// Two Keel app-servers on one store — two IDE windows on one home, or two Keels on one PostgreSQL
// database — each serving its own clients: one owner per thread (its lease), requests on the other's
// thread forwarded to it, its stream followed from the log, a thread moving to whoever uses it once
// it idles, and a SIGKILLed owner's thread taken over with its running turn ended once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { answerRequest, isServerRequest } from '../helpers/approvals.js';
import { keelEntry, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';
import { testUserHome } from '../helpers/user-home.js';
import { keelOn, dropSharedStores, sharedStore, storeKinds, until, type SharedStore } from '../helpers/shared-store.js';
import { agentMessage, params, runTurn, turnOf } from '../helpers/turns.js';

const running: KeelProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((keel) => keel.close().catch(() => null)));
});

async function two(store: SharedStore, scriptA: Parameters<typeof keelOn>[1], scriptB: Parameters<typeof keelOn>[1], env: Record<string, string> = {}) {
  const a = await keelOn(store, scriptA, env);
  const b = await keelOn(store, scriptB, env);
  running.push(a, b);
  return { a, b };
}

const notificationsFrom = (keel: KeelProcess, from: number) => keel.messages.slice(from).filter((m) => m.method !== undefined && m.id === undefined);
const turnEnded = (turnId: string) => (m: IncomingMessage) => m.method === 'turn/completed' && params(m).turn.id === turnId;
/** What a client heard of a thread: each notification's method and params (its seq when it has one). */
const heard = (keel: KeelProcess, from: number, threadId: string) =>
  notificationsFrom(keel, from)
    .filter((m) => params(m).threadId === threadId)
    .map((m) => [m.method, (m as { seq?: number }).seq ?? null, m.params]);
const said = (messages: readonly IncomingMessage[]) => messages.filter((m) => m.method === 'item/completed' && params(m).item.type === 'agentMessage').map((m) => params(m).item.text);

afterAll(dropSharedStores);

describe.each(storeKinds)('two Keel app-servers on one %s store', (kind) => {
  it('both serve model/list, their own threads and turns; thread/list on each sees both', async () => {
    const store = await sharedStore(kind);
    const { a, b } = await two(store, [[{ text: 'from A' }]], [[{ text: 'from B' }]]);
    const models = await a.request('model/list', {});
    expect(await b.request('model/list', {})).toEqual(models);

    const ta = (await a.request('thread/start', {} as never)).thread;
    const tb = (await b.request('thread/start', {} as never)).thread;
    expect(said(await runTurn(a, ta.id, 'hi'))).toEqual(['from A']);
    expect(said(await runTurn(b, tb.id, 'hi'))).toEqual(['from B']);
    for (const keel of [a, b]) {
      expect((await keel.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual([ta.id, tb.id].sort());
    }
    // Each reads the other's thread as stored; it is loaded only where it runs.
    const { thread: readOnB } = await b.request('thread/read', { threadId: tb.id, includeTurns: true });
    expect(readOnB.status).toEqual({ type: 'idle' });
    // A reads the store as of its last commit: on PostgreSQL, B's last writes may be acknowledged just after B's client heard them.
    const readOnA = async () => (await a.request('thread/read', { threadId: tb.id, includeTurns: true })).thread;
    await until("A's read catches up with B's last commit", async () => (await readOnA()).turns[0]?.status === 'completed');
    expect(await readOnA()).toEqual({ ...readOnB, status: { type: 'notLoaded' } });
  }, 30_000);

  it("a turn started on the other's thread is forwarded to its owner, and both clients hear the same stream", async () => {
    const store = await sharedStore(kind);
    const { a, b } = await two(store, [[{ text: 'run ' }, { text: 'by A' }]], []);
    const { thread } = await a.request('thread/start', {} as never);
    const resumed = await b.request('thread/resume', { threadId: thread.id } as never);
    expect(resumed.thread.id).toBe(thread.id);
    const [fromA, fromB] = [a.messages.length, b.messages.length];

    const { turn } = await b.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    expect(turn).toMatchObject({ status: 'inProgress', items: [] });
    await Promise.all([a.waitFor(turnEnded(turn.id), 15_000), b.waitFor(turnEnded(turn.id), 15_000)]);
    // The owner ran it (its script answered); the client that started it heard what the owner's own client heard.
    expect(said(notificationsFrom(a, fromA))).toEqual(['run by A']);
    expect(heard(b, fromB, thread.id)).toEqual(heard(a, fromA, thread.id));
    expect(turnOf(notificationsFrom(b, fromB)).status).toBe('completed');
    expect((await b.request('thread/read', { threadId: thread.id, includeTurns: true })).thread).toEqual((await a.request('thread/read', { threadId: thread.id, includeTurns: true })).thread);
    // A change of the thread's name is forwarded as well.
    expect(await b.request('thread/name/set', { threadId: thread.id, name: 'named from B' })).toEqual({});
    expect((await a.request('thread/read', { threadId: thread.id })).thread.name).toBe('named from B');
  }, 30_000);

  it('an approval the owner asks during a forwarded turn reaches the client that started it, and its answer reaches the owner', async () => {
    const store = await sharedStore(kind);
    // A command that changes something: under `untrusted`, it is asked about.
    const call = { toolCall: { name: 'exec_command', callId: 'call_1', arguments: { cmd: 'touch made.txt', login: false } } };
    const { a, b } = await two(store, [[call], [{ text: 'done' }]], []);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-approval-'));
    const { thread } = await a.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'danger-full-access' } as never);
    await b.request('thread/resume', { threadId: thread.id } as never);
    const fromA = a.messages.length;
    const { turn } = await b.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'run it' }] });
    const asked = await answerRequest(b, 'item/commandExecution/requestApproval', { decision: 'accept' });
    expect(params(asked)).toMatchObject({ threadId: thread.id, turnId: turn.id, itemId: 'call_1' });
    await b.waitFor(turnEnded(turn.id), 15_000);
    await a.waitFor(turnEnded(turn.id), 15_000);
    expect(a.messages.slice(fromA).filter((m) => isServerRequest(m, 'item/commandExecution/requestApproval'))).toEqual([]);
    const read = await b.request('thread/read', { threadId: thread.id, includeTurns: true });
    const items = read.thread.turns[0]!.items;
    expect(items.find((item: { type: string }) => item.type === 'commandExecution')).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    expect(items.at(-1)).toEqual(agentMessage(items.at(-1)!.id, 'done'));
  }, 30_000);

  it('a thread moves to the process that uses it next once it idles where it was; the first client follows it there', async () => {
    const store = await sharedStore(kind, ['[keel]', 'thread_idle_unload_ms = 200']);
    const { a, b } = await two(store, [[{ text: 'first, by A' }]], [[{ text: 'then by B' }]]);
    const { thread } = await a.request('thread/start', {} as never);
    expect(said(await runTurn(a, thread.id, 'one'))).toEqual(['first, by A']);
    // Idle on A (after 200 ms, maybe already): unloaded from A's memory, its lease given back (A's client still listens).
    await until('A lets the idle thread go', async () => (await store.leaseHolder(thread.id)) === null);

    await b.request('thread/resume', { threadId: thread.id } as never);
    const fromA = a.messages.length;
    // B runs it: B's script answers (forwarded to A, A's script, used up, would have failed it).
    expect(said(await runTurn(b, thread.id, 'two'))).toEqual(['then by B']);
    // A's client, still subscribed, hears B's turn from the log.
    const turnId = turnOf(b.messages.filter((m) => m.method === 'turn/completed')).id;
    await a.waitFor(turnEnded(turnId), 10_000);
    expect(said(notificationsFrom(a, fromA))).toEqual(['then by B']);
  }, 30_000);

  it("a SIGKILLed owner's thread is taken over by the other process, which ends its running turn once, interrupted, naming it", async () => {
    const store = await sharedStore(kind);
    const { a, b } = await two(store, [[{ text: 'working' }, { stall: true }]], [[{ text: 'after the takeover' }]], { KEEL_LEASE_MS: '1500' });
    const { thread } = await a.request('thread/start', {} as never);
    const { turn } = await a.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await a.waitFor((m) => m.method === 'item/agentMessage/delta' && params(m).delta === 'working', 10_000);
    // From the start: the delta may be stored before or after B's resume, and B must hear it either way.
    await b.request('thread/resume', { threadId: thread.id, afterSeq: 0 } as never);
    await b.waitFor((m) => m.method === 'item/agentMessage/delta' && params(m).delta === 'working', 10_000);
    const pid = a.pid;
    expect(await a.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const ended = await b.waitFor(turnEnded(turn.id), 15_000);
    expect(params(ended).turn).toMatchObject({
      id: turn.id,
      status: 'interrupted',
      error: { message: `the Keel process running this turn (pid ${pid} on ${os.hostname()}) stopped before it ended; another process took the thread over and closed the turn as interrupted.` },
    });
    // Once: the log holds one end of it (an asynchronous store may acknowledge it just after it is heard), and B serves the thread from here.
    await until('the end is stored', async () => (await store.turnEnds(thread.id, turn.id)) > 0);
    expect(await store.turnEnds(thread.id, turn.id)).toBe(1);
    expect(said(await runTurn(b, thread.id, 'again'))).toEqual(['after the takeover']);
    expect(b.messages.filter(turnEnded(turn.id))).toHaveLength(1);
    expect(await store.turnEnds(thread.id, turn.id)).toBe(1);
  }, 40_000);

  it('a second short-lived app-server on the same store answers model/list while the first runs a turn (the AI SDK provider pattern)', async () => {
    const store = await sharedStore(kind);
    const first = await keelOn(store, [[{ text: 'long' }, { stall: true }]]);
    running.push(first);
    const { thread } = await first.request('thread/start', {} as never);
    const { turn } = await first.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await first.waitFor((m) => m.method === 'item/agentMessage/delta', 10_000);

    const second = await keelOn(store, []);
    const models = await second.request('model/list', {});
    expect(models.data.map((model: { id: string }) => model.id)).toContain('scripted');
    expect(await second.close()).toBe(0);

    // The first's turn went on untouched: it is still running and ends when interrupted.
    expect(first.messages.filter(turnEnded(turn.id))).toEqual([]);
    expect(await first.request('turn/interrupt', { threadId: thread.id, turnId: turn.id })).toEqual({});
    expect(params(await first.waitFor(turnEnded(turn.id), 10_000)).turn.status).toBe('interrupted');
  }, 30_000);

  it('`keel exec` beside a running app-server on the same store runs its turn; the app-server lists its thread', async () => {
    const store = await sharedStore(kind);
    const server = await keelOn(store, [[{ text: 'server' }]]);
    running.push(server);
    const { thread } = await server.request('thread/start', {} as never);
    // thread/list lists only threads that had a turn (as Codex).
    await runTurn(server, thread.id, 'hi');
    const scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-exec-script-')), 'script.json');
    fs.writeFileSync(scriptFile, JSON.stringify({ responses: [[{ text: 'Exec ran beside the server.' }]] }));
    const env = { ...process.env, ...store.env, KEEL_HOME: store.home, HOME: testUserHome(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: scriptFile };
    const child = spawn(process.execPath, [keelEntry, 'exec', 'say something'], { cwd: store.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'Exec ran beside the server.\n' });
    const execThread = /^thread (\S+) /m.exec(stderr)?.[1];
    expect((await server.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual([thread.id, execThread].sort());
  }, 30_000);
});
