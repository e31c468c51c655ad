// Two Keel processes on one home (two IDE windows, or `keel exec` beside an editor's Keel): both
// serve, side by side on one database — each its own threads, thread/list sees them all, a client
// of one follows a turn the other runs, and the thread of a SIGKILLed one is taken over by the
// other, its running turn ended once, interrupted, naming the process that died.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, keelEntry, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { testUserHome } from '../helpers/user-home.js';
import { storedThreadIds, useTempDirs, withDatabase } from '../helpers/threads.js';
import { turnHome } from '../helpers/turns.js';
import type { ScriptStep } from '../../src/providers/scripted.js';

const tempDir = useTempDirs();

async function keelOn(home: string, env: Record<string, string> = {}): Promise<KeelProcess> {
  const keel = spawnKeel({ home, env });
  await initialized(keel);
  return keel;
}

const completedTurn = (turnId: string) => (m: { method?: string; params?: unknown }) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turnId;

describe('two Keel processes on one home', () => {
  it('both answer model/list, start threads, and list each other\'s', async () => {
    const home = tempDir();
    const first = await keelOn(home);
    const a = (await first.request('thread/start', { cwd: '/work/a' })).thread;

    const second = await keelOn(home);
    expect((await second.request('model/list', {})).data.length).toBeGreaterThan(0);
    const b = (await second.request('thread/start', { cwd: '/work/b' })).thread;
    const ids = [a.id, b.id].sort();
    expect((await first.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);
    expect((await second.request('thread/list', {})).data.map((t) => t.id).sort()).toEqual(ids);

    expect(await second.close()).toBe(0);
    expect(await first.close()).toBe(0);
    expect(withDatabase(path.join(home, 'keel.db'), storedThreadIds)).toEqual(ids);
  });

  it("a client of the second follows the first's turn; the first SIGKILLed mid-turn, the second ends that turn once, interrupted, naming it", async () => {
    const script: ScriptStep[][] = [[{ text: 'Hello ' }, { text: 'there' }], [{ text: 'working' }, { stall: true }]];
    const { home, env } = turnHome({ script });
    const first = await keelOn(home, env);
    const threadId = (await first.request('thread/start', {})).thread.id;
    // The second sweeps for lapsed owners every 200 ms.
    const second = await keelOn(home, { ...env, KEEL_LEASE_MS: '600' });
    expect((await second.request('thread/resume', { threadId })).thread.id).toBe(threadId);

    const { turn } = await first.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }] });
    const heardFirst = await first.waitFor(completedTurn(turn.id));
    const heardSecond = await second.waitFor(completedTurn(turn.id));
    expect(heardSecond.params).toEqual(heardFirst.params);
    const deltas = (keel: KeelProcess) => keel.messages.filter((m) => m.method === 'item/agentMessage/delta').map((m) => (m.params as { delta: string }).delta);
    expect(deltas(second)).toEqual(deltas(first));

    const running = (await first.request('turn/start', { threadId, input: [{ type: 'text', text: 'go on' }] })).turn;
    await second.waitFor((m) => m.method === 'item/agentMessage/delta' && (m.params as { delta: string }).delta === 'working');
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const ended = await second.waitFor(completedTurn(running.id));
    expect((ended.params as { turn: unknown }).turn).toMatchObject({
      id: running.id,
      status: 'interrupted',
      error: { message: expect.stringMatching(new RegExp(`^the Keel process running this turn \\(pid ${first.pid} on [^)]+\\) stopped before it ended; another process took the thread over`)) },
    });
    const read = (await second.request('thread/read', { threadId, includeTurns: true })).thread;
    expect(read.turns.map((t: { status: string }) => t.status)).toEqual(['completed', 'interrupted']);
    expect(second.messages.filter(completedTurn(running.id))).toHaveLength(1);
    expect(await second.close()).toBe(0);
  });

  it('`keel exec` beside a running app-server on the same home runs its turn', async () => {
    const { home, env } = turnHome({ script: [[{ text: 'Hello from exec.' }]] });
    const server = await keelOn(home, env);
    const before = (await server.request('thread/start', {})).thread.id;
    const exec = spawn(process.execPath, [keelEntry, 'exec', 'say hello'], {
      cwd: home,
      env: { ...process.env, ...env, KEEL_HOME: home, HOME: testUserHome(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    exec.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    exec.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => exec.on('close', resolve));
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'Hello from exec.\n' });
    expect(stderr).toMatch(/^thread \S+ /m);
    // The server sees the thread exec made beside its own.
    expect((await server.request('thread/list', {})).data.map((t) => t.id)).toContain(before);
    expect((await server.request('thread/list', {})).data).toHaveLength(2);
    expect(await server.close()).toBe(0);
  });
});
