// Requests for a thread another Keel process runs, forwarded to it (src/server/peers/): two Keels
// in this process on one in-memory store and lease table, each with a real peer socket. A runs the
// thread; a client of B asks B, and gets A's answers; what A asks during a forwarded turn reaches
// B's client, and its reply reaches A (and A's serverRequest/resolved, B's client's id in it); an owner that cannot be reached is named in the error; a
// client of B going away detaches A's peer session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { workspace } from '../helpers/workspace.js';
import { peerHome, peerKeel, sharedStore, type PeerKeel, type TestClient } from './peers-harness.js';

let opened: PeerKeel[] = [];
const homes: string[] = [];
afterEach(async () => {
  for (const keel of opened) await keel.close();
  opened = [];
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

interface TwoKeels {
  script?: unknown[][];
  /** `[keel]` lines of the shared home's config.toml. */
  keel?: string[];
  /** false: A takes no forwarded requests (its leases name no address). */
  aListens?: boolean;
}

async function twoKeels(options: TwoKeels = {}) {
  const home = peerHome();
  homes.push(home);
  const env: NodeJS.ProcessEnv = {};
  if (options.script) {
    env.KEEL_SCRIPT = path.join(home, 'script.json');
    fs.writeFileSync(env.KEEL_SCRIPT, JSON.stringify({ responses: options.script }));
  }
  if (options.keel) fs.writeFileSync(path.join(home, 'config.toml'), ['[keel]', ...options.keel].join('\n') + '\n');
  const store = sharedStore();
  let ids = 0;
  let clock = 1_700_000_000_000;
  const a = await peerKeel({ ownerId: 'owner-a', store, home, env, listen: options.aListens, newId: () => `a-${++ids}`, now: () => (clock += 1000) });
  const b = await peerKeel({ ownerId: 'owner-b', store, home, env });
  opened.push(a, b);
  return { a, b, store };
}

/** A thread A runs, started by a client of A. */
async function threadOnA(a: PeerKeel, params: Record<string, unknown> = {}): Promise<{ client: TestClient; threadId: string }> {
  const client = await a.connect();
  const { thread } = await client.result('thread/start', params);
  return { client, threadId: thread.id };
}

const text = (value: string) => [{ type: 'text', text: value }];
const inMemory = (keel: PeerKeel) => keel.services.peek()!.keel.registry.inMemoryIds();
/** Responses and server requests a client got, in order (what the notifications leave). */
const exchanges = (client: TestClient) => client.messages.filter((m) => m.method === undefined || m.id !== undefined);

describe('peers: a request for a thread another process runs is forwarded to it', () => {
  it("thread/name/set and turn/start sent to B for A's thread are answered with A's answers; B never loads the thread", async () => {
    const { a, b } = await twoKeels();
    const { client: onA, threadId } = await threadOnA(a);
    const onB = await b.connect();

    expect(await onB.request('thread/name/set', { threadId, name: 'named through B' })).toEqual({ id: 2, result: {} });
    expect((await onA.waitFor((m) => m.method === 'thread/name/updated')).params).toEqual({ threadId, threadName: 'named through B' });

    const turn = await onB.request('turn/start', { threadId, input: text('hello from B') });
    const started = await onA.waitFor((m) => m.method === 'turn/started');
    // A's id source made the turn: A ran it.
    expect(turn).toEqual({
      id: 3,
      result: { turn: { id: 'a-2', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: (started.params as any).turn.startedAt, completedAt: null, durationMs: null } },
    });
    const completed = await onA.waitFor((m) => m.method === 'turn/completed');
    expect((completed.params as any).turn).toMatchObject({ id: 'a-2', status: 'completed' });
    expect(inMemory(b)).toEqual([]);
    expect(inMemory(a)).toEqual([threadId]);
    // The store is one: B reads what A wrote.
    expect((await onB.result('thread/read', { threadId })).thread).toMatchObject({ id: threadId, name: 'named through B' });
  });

  it("an approval A asks during a turn forwarded from B reaches B's client, and its reply reaches A", async () => {
    const cwd = workspace();
    const { a, b } = await twoKeels({
      script: [[{ toolCall: { name: 'exec_command', arguments: { cmd: 'touch made.txt' }, callId: 'call_1' } }], [{ text: 'Made it.' }]],
    });
    const { client: onA, threadId } = await threadOnA(a, { cwd, approvalPolicy: 'untrusted', sandbox: 'danger-full-access' });
    const onB = await b.connect();
    const answered = onB.request('turn/start', { threadId, input: text('make a file') });
    const asked = await onB.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    onB.answer(asked.id, { decision: 'accept' });
    const turn = await answered;
    const completed = await onA.waitFor((m) => m.method === 'turn/completed');

    // B's client: the answer to turn/start, then A's question in B's client's own id space (its first server request).
    expect(exchanges(onB)).toEqual([
      { id: 1, result: expect.objectContaining({ codexHome: expect.any(String) }) },
      turn,
      {
        id: 0,
        method: 'item/commandExecution/requestApproval',
        params: {
          threadId,
          turnId: 'a-2',
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
    // A settling the question is handed on with the id B's client knows it by.
    expect((await onB.waitFor((m) => m.method === 'serverRequest/resolved')).params).toEqual({ threadId, requestId: 0 });
    // A asked its peer session (the turn's owner), not its own client; the reply ran the command.
    expect(exchanges(onA).filter((m) => m.method !== undefined)).toEqual([]);
    expect((completed.params as any).turn).toMatchObject({ id: 'a-2', status: 'completed' });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    const { approvals } = await onA.result('thread/read', { threadId, includeApprovals: true });
    expect(approvals).toEqual([expect.objectContaining({ itemId: 'call_1', decision: 'accept' })]);
  });

  it("B's client leaving while A's question waits on it: A asks its own client instead, whose reply settles it", async () => {
    const cwd = workspace();
    const { a, b } = await twoKeels({
      script: [[{ toolCall: { name: 'exec_command', arguments: { cmd: 'touch made.txt' }, callId: 'call_1' } }], [{ text: 'Made it.' }]],
    });
    const { client: onA, threadId } = await threadOnA(a, { cwd, approvalPolicy: 'untrusted', sandbox: 'danger-full-access' });
    const onB = await b.connect();
    await onB.result('turn/start', { threadId, input: text('make a file') });
    const askedB = await onB.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    onB.disconnect();
    const askedA = await onA.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    expect(askedA.params).toEqual(askedB.params);
    onA.answer(askedA.id, { decision: 'decline' });
    const completed = await onA.waitFor((m) => m.method === 'turn/completed');
    expect((completed.params as any).turn).toMatchObject({ id: 'a-2', status: 'completed' });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(false);
    const { approvals } = await onA.result('thread/read', { threadId, includeApprovals: true });
    expect(approvals).toEqual([expect.objectContaining({ itemId: 'call_1', decision: 'decline' })]);
  });

  it("turn/interrupt sent to B for the turn A runs is answered by A, and ends A's turn", async () => {
    const { a, b } = await twoKeels({ script: [[{ stall: true }]] });
    const { client: onA, threadId } = await threadOnA(a);
    const onB = await b.connect();
    const { turn } = await onB.result('turn/start', { threadId, input: text('wait') });
    await onA.waitFor((m) => m.method === 'turn/started');
    expect(await onB.request('turn/interrupt', { threadId, turnId: turn.id })).toEqual({ id: 3, result: {} });
    const completed = await onA.waitFor((m) => m.method === 'turn/completed');
    expect((completed.params as any).turn).toMatchObject({ id: turn.id, status: 'interrupted' });
  });

  it("following after a forwarded turn/start: B's client hears A's turn as A's client does, seqs and all", async () => {
    const { a, b } = await twoKeels();
    const { client: onA, threadId } = await threadOnA(a);
    const onB = await b.connect();
    const { turn } = await onB.result('turn/start', { threadId, input: text('hello') });
    const isEnd = (m: { method?: string; params?: unknown }) => m.method === 'turn/completed' && (m.params as any).turn.id === turn.id;
    await onA.waitFor(isEnd);
    await onB.waitFor(isEnd);
    const turnOf = (client: TestClient) => {
      const notes = client.messages.filter((m) => m.method !== undefined && m.id === undefined);
      const from = notes.findIndex((m) => m.method === 'turn/started');
      return notes.slice(from, notes.findIndex(isEnd) + 1).map(({ method, params, seq }) => ({ method, params, seq }));
    };
    expect(turnOf(onB)).toEqual(turnOf(onA));
  });
});

describe('peers: an owner that cannot take the request', () => {
  it('an owner whose leases name no address: the error names it, as a conflict', async () => {
    const { a, b } = await twoKeels({ aListens: false });
    const { threadId } = await threadOnA(a);
    const onB = await b.connect();
    expect(await onB.request('thread/name/set', { threadId, name: 'x' })).toEqual({
      id: 2,
      error: {
        code: -32600,
        message: `thread ${threadId} is run by another Keel process (pid ${process.pid} on ${os.hostname()}, which takes no forwarded requests); send this to that process, or retry once it lets the thread go (when it is idle)`,
      },
    });
  });

  it('an owner on another host: the error names it, as a conflict', async () => {
    const { a, b, store } = await twoKeels();
    const { threadId } = await threadOnA(a);
    store.leases.owners.get('owner-a')!.host = 'another-host';
    const onB = await b.connect();
    expect(await onB.request('thread/name/set', { threadId, name: 'x' })).toEqual({
      id: 2,
      error: {
        code: -32600,
        message: `thread ${threadId} is run by another Keel process (pid ${process.pid} on another-host, at ${a.listener!.address}); send this to that process, or retry once it lets the thread go (when it is idle)`,
      },
    });
  });

  it('an owner whose socket is gone (it died between the lease read and the forward): the error names it, and says to retry', async () => {
    const { a, b } = await twoKeels();
    const { threadId } = await threadOnA(a);
    await a.listener!.stop();
    const onB = await b.connect();
    expect(await onB.request('turn/start', { threadId, input: text('hi') })).toEqual({
      id: 2,
      error: {
        code: -32603,
        message: `thread ${threadId} is run by another Keel process (pid ${process.pid} on ${os.hostname()}), which could not be reached at ${a.listener!.address} (ENOENT); it may have stopped: retry, and the thread is taken over once its lease lapses`,
      },
    });
  });

  it('a peer session never forwards again: the lease moved meanwhile, and its client is answered with the error', async () => {
    const { a, b } = await twoKeels();
    const onB = await b.connect();
    const { thread } = await onB.result('thread/start', {});
    const peerOnA = await a.connect({}, 'keel-peer');
    const answer = await peerOnA.request('thread/name/set', { threadId: thread.id, name: 'x' });
    expect(answer).toEqual({ id: 2, error: { code: -32600, message: expect.stringMatching(new RegExp(`^thread ${thread.id} is run by another Keel process \\(pid ${process.pid} on .*, at ${b.listener!.address}\\)`)) } });
  });
});

describe("peers: the peer session lives as long as the client's", () => {
  it("B's client going away closes its peer connection: A detaches the peer session, and under turns_without_clients = interrupt ends the turn it started", async () => {
    const { a, b } = await twoKeels({ script: [[{ stall: true }]], keel: ['turns_without_clients = "interrupt"'] });
    const { client: onA, threadId } = await threadOnA(a);
    onA.disconnect();
    await vi.waitFor(() => expect(a.connections.size).toBe(0), { timeout: 5_000 });
    const onB = await b.connect();
    const { turn } = await onB.result('turn/start', { threadId, input: text('wait') });
    const runtime = a.services.peek()!.keel.registry.get(threadId)!;
    expect([runtime.state.activeTurnId, runtime.subscribers.size, a.connections.size]).toEqual([turn.id, 1, 1]);

    onB.disconnect();
    await vi.waitFor(() => expect([a.connections.size, runtime.subscribers.size, runtime.state.activeTurnId]).toEqual([0, 0, null]), { timeout: 5_000 });
    const onA2 = await a.connect();
    const { thread } = await onA2.result('thread/read', { threadId, includeTurns: true });
    expect(thread.turns.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([[turn.id, 'interrupted']]);
  });
});
