// The daemon commands and the proxy against the real server: `keel app-server --listen unix://PATH`
// started in the background, shared by clients that each spawned `keel app-server proxy`. They need
// the Unix-socket listener; until this Keel serves it they are skipped (the probe below).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonCli, daemonHome, daemonsOn, proxyClient, socketOf } from '../helpers/daemon.js';
import { initialized, keelEntry, makeTempHome } from '../helpers/keel-process.js';
import { turnHome } from '../helpers/turns.js';

const probe = spawnSync(process.execPath, [keelEntry, 'app-server', '--listen', 'unix:///tmp/keel-listen-probe.sock', '--help'], { encoding: 'utf8', timeout: 15_000 });
const listenerSupported = probe.status === 0;

function newHome(env: Record<string, string> = {}, home = makeTempHome()): { home: string; env: Record<string, string> } {
  return { home: daemonHome(home), env };
}

const keel = daemonCli;
const proxy = (home: string, env: Record<string, string> = {}) => proxyClient(home, env);

describe.skipIf(!listenerSupported)('keel app-server daemon and proxy (real server)', () => {
  it('start, status, start again (same daemon), stop, status', () => {
    const { home } = newHome();
    const socketPath = socketOf(home);
    const logPath = path.join(home, 'app-server-daemon', 'daemon.log');
    const started = keel(['app-server', 'daemon', 'start'], home);
    const running = { status: 'running', pid: expect.any(Number), socketPath, version: expect.any(String), startedAtMs: expect.any(Number), logPath };
    expect(started).toEqual({ status: 0, json: { ...running, startedNow: true }, stderr: '' });
    const { pid } = started.json as { pid: number };
    expect(daemonsOn(socketPath)).toEqual([pid]);
    expect(fs.statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);

    expect(keel(['app-server', 'daemon', 'status'], home)).toEqual({ status: 0, json: { ...running, pid }, stderr: '' });
    expect(keel(['app-server', 'daemon', 'start'], home)).toEqual({ status: 0, json: { ...running, pid, startedNow: false }, stderr: '' });
    expect(keel(['app-server', 'daemon', 'stop'], home)).toEqual({ status: 0, json: { status: 'stopped', wasRunning: true, pid, forced: false }, stderr: '' });
    expect(daemonsOn(socketPath)).toEqual([]);
    expect(keel(['app-server', 'daemon', 'status'], home)).toEqual({ status: 0, json: { status: 'stopped', socketPath }, stderr: '' });
    expect(keel(['app-server', 'daemon', 'stop'], home)).toEqual({ status: 0, json: { status: 'stopped', wasRunning: false }, stderr: '' });
  });

  it('a proxy with no daemon running starts one and serves through it', async () => {
    const { home } = newHome();
    const client = proxy(home);
    const result = await initialized(client, {});
    expect(result.codexHome).toBe(home);
    const status = keel(['app-server', 'daemon', 'status'], home).json as { status: string; pid: number };
    expect(status.status).toBe('running');
    expect(daemonsOn(socketOf(home))).toEqual([status.pid]);
    expect(client.stderr).toContain(`keel app-server proxy: started the daemon (pid ${status.pid}) on ${socketOf(home)}`);
    expect(await client.close()).toBe(0);
    // The daemon outlives its clients.
    expect(daemonsOn(socketOf(home))).toEqual([status.pid]);
  }, 30_000);

  it('two proxies started at once with no daemon: one daemon, both answered', async () => {
    const { home } = newHome();
    const clients = [proxy(home), proxy(home)];
    const answers = await Promise.all(clients.map((client) => initialized(client, {})));
    expect(answers.map((answer) => answer.codexHome)).toEqual([home, home]);
    const status = keel(['app-server', 'daemon', 'status'], home).json as { pid: number };
    expect(daemonsOn(socketOf(home))).toEqual([status.pid]);
    expect(clients.filter((client) => client.stderr.includes('started the daemon'))).toHaveLength(1);
    expect(await Promise.all(clients.map((client) => client.close()))).toEqual([0, 0]);
  }, 30_000);

  it("two proxies share a thread: B resumes A's thread and hears A's running turn end", async () => {
    const { home, env } = turnHome({ script: [[{ text: 'working' }, { stall: true }]] });
    newHome(env, home);
    const a = proxy(home, env);
    await initialized(a, {});
    const { thread } = await a.request('thread/start', {} as never);
    const { turn } = await a.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await a.waitFor('item/agentMessage/delta', 10_000);

    const b = proxy(home);
    await initialized(b, {});
    const resumed = await b.request('thread/resume', { threadId: thread.id } as never);
    expect(resumed.thread.id).toBe(thread.id);

    await a.request('turn/interrupt', { threadId: thread.id, turnId: turn.id });
    const ended = (m: { method?: string; params?: unknown }) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turn.id;
    const [seenByA, seenByB] = await Promise.all([a.waitFor(ended, 10_000), b.waitFor(ended, 10_000)]);
    expect((seenByB.params as { turn: unknown }).turn).toEqual((seenByA.params as { turn: unknown }).turn);
    expect((seenByB.params as { turn: { status: string } }).turn.status).toBe('interrupted');
    expect(await Promise.all([a.close(), b.close()])).toEqual([0, 0]);
  }, 30_000);
});

describe('keel app-server daemon (whether or not the listener is served)', () => {
  it('status and stop with no daemon: stopped, exit 0', () => {
    const { home } = newHome();
    expect(keel(['app-server', 'daemon', 'status'], home)).toEqual({ status: 0, json: { status: 'stopped', socketPath: socketOf(home) }, stderr: '' });
    expect(keel(['app-server', 'daemon', 'stop'], home)).toEqual({ status: 0, json: { status: 'stopped', wasRunning: false }, stderr: '' });
  });

  it('a daemon that cannot start: one JSON error on stdout, the tail of its log on stderr, exit 1, no pid file', () => {
    const { home } = newHome();
    const logPath = path.join(home, 'app-server-daemon', 'daemon.log');
    const result = keel(['app-server', 'daemon', 'start', '-c', 'sandbox_mode=yolo'], home);
    const why = listenerSupported ? 'keel: -c sandbox_mode=yolo: invalid value for sandbox_mode' : 'not supported yet';
    expect({ ...result, stderr: result.stderr.includes(why) }).toEqual({
      status: 1,
      json: { status: 'error', message: expect.stringMatching(new RegExp(`^the daemon \\(pid \\d+\\) exited with code 2 before it answered initialize; its log \\(${logPath}\\) ends:$`)) },
      stderr: true,
    });
    expect(result.stderr).toBe(fs.readFileSync(logPath, 'utf8'));
    expect(fs.existsSync(path.join(home, 'app-server-daemon', 'daemon.pid'))).toBe(false);
  });
});

it('probes for the Unix-socket listener: served, or refused as not supported yet', () => {
  expect(listenerSupported || (probe.status === 2 && probe.stderr.includes('not supported yet'))).toBe(true);
});
