// One Keel, many clients: the built server with --listen unix:// and ws:// (WebSocket, one message
// per text frame), beside stdio or without it. Each client is a connection of its own; the socket
// file, the token, the loopback rule, shutdown, and a client that stops reading dropped alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSocketPath } from '../../src/cli/listen-options.js';
import { initialized, type KeelProcess, makeTempHome, removeAfterKeel, spawnKeel, type SpawnOptions, testClientInfo } from '../helpers/keel-process.js';
import { closeAllSocketClients, refusedUpgrade, SocketClient, socketInitialized } from '../helpers/socket-client.js';
import { params, turnHome } from '../helpers/turns.js';

const homes: string[] = [];
afterEach(async () => {
  closeAllSocketClients();
  await removeAfterKeel(homes);
});

/** A home the test keeps (the harness removes its own homes at exit, socket files with them). */
function ownHome(): string {
  const home = makeTempHome();
  homes.push(home);
  return home;
}

/** Starts Keel with these args and resolves with it and the URL it printed (`keel: listening on URL`). */
async function listening(args: string[], options: SpawnOptions = {}): Promise<{ keel: KeelProcess; url: string }> {
  const keel = spawnKeel({ ...options, args });
  const line = await keel.waitForStderr(/^keel: listening on /);
  return { keel, url: line.slice('keel: listening on '.length) };
}

const logged = (line: string) => JSON.parse(line) as Record<string, any>;
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const initializeAnswer = (home: string) => ({
  userAgent: expect.stringMatching(/^keel-tests\/0\.171\.0 .* keel\/\S+ \(keel-tests; 0\.0\.0\)$/),
  codexHome: home,
  platformFamily: 'unix',
  platformOs: 'linux',
});

describe('a unix socket', () => {
  it('serves two clients at once, each with its own handshake; the socket is 0600 in a 0700 directory; account news goes to both', async () => {
    const home = ownHome();
    const { keel, url } = await listening(['app-server', '--listen', 'unix://'], { home });
    const socket = defaultSocketPath(home);
    expect(url).toBe(`unix://${socket}`);
    expect(fs.statSync(socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(socket)).mode & 0o777).toBe(0o700);
    const [a, b] = await Promise.all([SocketClient.connect(url), SocketClient.connect(url)]);
    expect(await socketInitialized(a)).toEqual(initializeAnswer(home));
    // b has not initialized yet: its gate is its own.
    expect(await b.request('thread/list', {}).catch((error: { error: unknown }) => error.error)).toEqual({ code: -32600, message: 'Not initialized' });
    expect(await socketInitialized(b, { experimentalApi: true })).toEqual(initializeAnswer(home));
    await a.request('account/login/start', { type: 'apiKey', apiKey: 'sk-test' });
    const [toA, toB] = await Promise.all([a.waitFor('account/updated'), b.waitFor('account/updated')]);
    expect(toB.params).toEqual(toA.params);
    const { gauges } = await b.request('server/diagnostics', {});
    expect(gauges.find((gauge) => gauge.name === 'connections')).toEqual({ name: 'connections', value: 2 });
    expect(await keel.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('keeps serving when a client leaves: the others are served, and Keel runs on', async () => {
    const { keel, url } = await listening(['--listen', 'unix://']);
    const [a, b] = await Promise.all([SocketClient.connect(url), SocketClient.connect(url)]);
    await socketInitialized(a);
    await socketInitialized(b, { experimentalApi: true });
    const { thread } = await a.request('thread/start', {});
    expect(await a.close()).toEqual({ code: 1005, reason: '' });
    expect(logged(await keel.waitForStderr(/"connection closed"/))).toMatchObject({ connection: 'unix#1', reason: 'input ended' });
    const { gauges } = await b.request('server/diagnostics', {});
    expect(gauges.find((gauge) => gauge.name === 'connections')).toEqual({ name: 'connections', value: 1 });
    const c = await SocketClient.connect(url);
    await socketInitialized(c);
    // The thread the client that left started is still loaded (thread/list shows only used threads).
    expect((await c.request('thread/loaded/list', {})).data).toEqual([thread.id]);
  });

  it('replaces a stale socket file left by a Keel that was killed', async () => {
    const home = ownHome();
    const first = await listening(['--listen', 'unix://'], { home });
    await first.keel.kill('SIGKILL');
    expect(fs.lstatSync(defaultSocketPath(home)).isSocket()).toBe(true);
    const second = await listening(['--listen', 'unix://'], { home });
    const client = await SocketClient.connect(second.url);
    expect(await socketInitialized(client)).toEqual(initializeAnswer(home));
  });

  it('refuses to start on a socket another Keel listens on, or on a path that is not a socket', async () => {
    const home = ownHome();
    const socket = path.join(home, 'k.sock');
    const first = await listening(['--listen', `unix://${socket}`], { home });
    const second = spawnKeel({ home, args: ['--listen', `unix://${socket}`] });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.stderr).toBe(`keel: unix://${socket}: another Keel is listening on ${socket}\n`);
    const client = await SocketClient.connect(first.url);
    expect(await socketInitialized(client)).toEqual(initializeAnswer(home));

    const file = path.join(home, 'not-a-socket');
    fs.writeFileSync(file, 'mine');
    const third = spawnKeel({ home, args: ['--listen', `unix://${file}`] });
    expect(await third.exited).toEqual({ code: 1, signal: null });
    expect(third.stderr).toBe(`keel: unix://${file}: the path exists and is not a socket; Keel leaves it alone\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });

  it('SIGTERM: the clients are told goodbye, the socket file is removed, exit 0', async () => {
    const home = ownHome();
    const { keel, url } = await listening(['--listen', 'unix://'], { home });
    const client = await SocketClient.connect(url);
    await socketInitialized(client);
    expect(await keel.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await client.closed).toEqual({ code: 1001, reason: 'Keel is shutting down' });
    expect(fs.existsSync(defaultSocketPath(home))).toBe(false);
  });
});

describe('ws://', () => {
  it('binds a free port for :0 and says where, as a plain line and a log record', async () => {
    const { keel, url } = await listening(['--listen', 'ws://127.0.0.1:0']);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(logged(await keel.waitForStderr(/"msg":"listening"/))).toMatchObject({ level: 30, url: url, msg: 'listening' });
    const client = await SocketClient.connect(url);
    expect(await socketInitialized(client)).toEqual(initializeAnswer(keel.home));
  });

  it.each([
    ['--ws-token-file', (dir: string) => (fs.writeFileSync(path.join(dir, 'token'), '  tok-3f9a\n'), path.join(dir, 'token'))],
    ['--ws-token-sha256', () => sha256('tok-3f9a')],
  ])('with a capability token (%s): the right token is served, a wrong or missing one gets 401 before the upgrade', async (flag, value) => {
    const home = ownHome();
    const { url } = await listening(['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', flag, value(home)], { home });
    const client = await SocketClient.connect(url, 'tok-3f9a');
    expect(await socketInitialized(client)).toEqual(initializeAnswer(home));
    expect(await refusedUpgrade(url)).toEqual({ status: 401, body: 'missing websocket bearer token\n' });
    expect(await refusedUpgrade(url, { Authorization: 'Bearer tok-3f9b' })).toEqual({ status: 401, body: 'invalid websocket bearer token\n' });
    expect(await refusedUpgrade(url, { Authorization: 'Basic dG9rLTNmOWE=' })).toEqual({ status: 401, body: 'invalid authorization header\n' });
    expect(await refusedUpgrade(url, { Authorization: 'Bearer tok-3f9a', Origin: 'https://example.com' })).toEqual({
      status: 403,
      body: 'websocket requests with an Origin header are refused\n',
    });
  });

  it('refuses a token file it cannot use (exit 2)', async () => {
    const home = ownHome();
    const missing = path.join(home, 'missing-token');
    const keel = spawnKeel({ home, args: ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', missing] });
    expect(await keel.exited).toEqual({ code: 2, signal: null });
    expect(keel.stderr).toBe(`keel: --ws-token-file ${missing}: cannot read it (ENOENT)\n`);
  });

  it('refuses a host other machines can reach, unless --ws-allow-non-loopback (then warns when no token is asked)', async () => {
    const refused = spawnKeel({ args: ['--listen', 'ws://0.0.0.0:0'] });
    expect(await refused.exited).toEqual({ code: 2, signal: null });
    expect(refused.stderr).toMatch(/^keel: --listen ws:\/\/0\.0\.0\.0:0: 0\.0\.0\.0 is not a loopback address; Keel listens where other machines can reach it only with --ws-allow-non-loopback/);
    const { keel, url } = await listening(['--listen', 'ws://0.0.0.0:0', '--ws-allow-non-loopback']);
    expect(url).toMatch(/^ws:\/\/0\.0\.0\.0:[1-9]\d*$/);
    await keel.waitForStderr(new RegExp(`^keel: warning: ${url.replace(/\./g, '\\.')} is reachable from other machines and asks no token \\(--ws-auth capability-token\\)$`));
  });

  it('beside stdio: both served; stdin ending ends Keel (exit 0), and the socket clients are told goodbye', async () => {
    const { keel, url } = await listening(['app-server', '--stdio', '--listen', 'ws://127.0.0.1:0']);
    const client = await SocketClient.connect(url);
    expect(await socketInitialized(client)).toEqual(initializeAnswer(keel.home));
    expect(await initialized(keel)).toEqual(initializeAnswer(keel.home));
    expect(await keel.close()).toBe(0);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Keel is shutting down' });
  });

  it('reads a pretty-printed frame as one message', async () => {
    const { keel, url } = await listening(['--listen', 'ws://127.0.0.1:0']);
    const client = await SocketClient.connect(url);
    client.sendFrame(JSON.stringify({ id: 'pretty', method: 'initialize', params: { clientInfo: testClientInfo } }, null, 2));
    expect(await client.response('pretty')).toEqual({ id: 'pretty', result: initializeAnswer(keel.home) });
  });
});

describe('a client that stops reading', () => {
  it('is dropped once its unsent output passes client_output_limit_bytes, while another client on the same Keel goes on being served', async () => {
    const limit = 1024 * 1024;
    const delta = 'x'.repeat(200);
    // ≈ 30 MB of deltas: more than the socket buffers take, far past the limit.
    const { home, env } = turnHome({ script: [[{ repeatText: { text: delta, count: 100_000 } }], [{ text: 'fine' }]] });
    const { keel, url } = await listening(['--listen', 'unix://', '-c', `keel.client_output_limit_bytes=${limit}`], { home, env });
    const [slow, other] = await Promise.all([SocketClient.connect(url), SocketClient.connect(url)]);
    await socketInitialized(slow);
    await socketInitialized(other);
    // The first request builds Keel's services (store, migrations, providers): on a loaded CI machine
    // that has taken over 5 s, so it gets the suite's long wait.
    const { thread } = await slow.request('thread/start', {}, 20_000);
    slow.pause();
    slow.sendFrame(JSON.stringify({ id: 'flood', method: 'turn/start', params: { threadId: thread.id, input: [{ type: 'text', text: 'stream' }] } }));
    const dropped = logged(await keel.waitForStderr(/dropping it/, 20_000));
    expect(dropped).toMatchObject({ level: 40, connection: 'unix#1', limitBytes: limit });
    expect(dropped.bufferedBytes).toBeGreaterThan(limit);
    expect(logged(await keel.waitForStderr(/"connection closed"/))).toMatchObject({ connection: 'unix#1', reason: 'output limit exceeded' });
    slow.resume();
    expect((await slow.closed).code).toBe(1006);

    // The flood's turn still streams and stores its 100,000 deltas meanwhile: on a loaded machine
    // (CI runs browsers beside this) the other client's requests wait behind it for seconds.
    const { thread: own } = await other.request('thread/start', {}, 20_000);
    await other.request('turn/start', { threadId: own.id, input: [{ type: 'text', text: 'hello' }] }, 20_000);
    const completed = await other.waitFor((m) => m.method === 'turn/completed' && params(m).threadId === own.id, 20_000);
    expect(params(completed).turn.status).toBe('completed');
  }, 60_000);

  it('is dropped alone after client_stall_timeout_ms without reading; the turn never waits for it while another subscriber keeps up', async () => {
    const delta = 'x'.repeat(200);
    // ≈ 18 MB: far past the 8 MiB mark where the slow connection is congested.
    // The subscriber that keeps up is this test process: on two oversubscribed cores it was once
    // starved of the CPU for 3 s and dropped as stalled too, so the timeout is 5 s.
    const { home, env } = turnHome({ script: [[{ repeatText: { text: delta, count: 60_000 } }]], keel: ['client_stall_timeout_ms = 5000'] });
    const { keel, url } = await listening(['--listen', 'unix://'], { home, env });
    const [slow, other] = await Promise.all([SocketClient.connect(url), SocketClient.connect(url)]);
    await socketInitialized(slow);
    await socketInitialized(other);
    const { thread } = await slow.request('thread/start', {});
    await other.request('thread/resume', { threadId: thread.id });
    slow.pause();
    slow.sendFrame(JSON.stringify({ id: 'flood', method: 'turn/start', params: { threadId: thread.id, input: [{ type: 'text', text: 'stream' }] } }));
    expect(logged(await keel.waitForStderr(/not reading; pausing/, 20_000))).toMatchObject({ connection: 'unix#1' });
    const gone = logged(await keel.waitForStderr(/treating it as gone/, 20_000));
    expect(gone).toMatchObject({ level: 40, connection: 'unix#1', timeoutMs: 5000 });
    expect(logged(await keel.waitForStderr(/"connection closed"/))).toMatchObject({ connection: 'unix#1', reason: 'client stopped reading' });
    const completed = await other.waitFor((m) => m.method === 'turn/completed' && params(m).threadId === thread.id, 30_000);
    expect(params(completed).turn.status).toBe('completed');
    expect(other.messages.filter((m) => m.method === 'item/agentMessage/delta')).toHaveLength(60_000);
  }, 60_000);
});
