// `keel app-server proxy` as built (dist/keel.cjs), against a WebSocket-over-Unix-socket stand-in
// for the daemon: JSONL lines in, text frames out and back; congestion both ways; how it ends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keelEntry, makeTempHome } from '../helpers/keel-process.js';
import { startWsUnixServer, type FixtureOptions, type FixtureServer } from '../helpers/ws-unix-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Proxy {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function tempHome(): string {
  const home = makeTempHome();
  cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

function spawnProxy(args: string[], home = tempHome()): Proxy {
  const child = spawn(process.execPath, [keelEntry, 'app-server', 'proxy', ...args], { env: { ...process.env, KEEL_HOME: home }, stdio: 'pipe' });
  const lines: string[] = [];
  let rest = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, lines, stderr: () => stderr, exited };
}

async function fixture(options: FixtureOptions = {}): Promise<FixtureServer> {
  const server = await startWsUnixServer(path.join(tempHome(), 'd.sock'), options);
  cleanups.push(() => server.close());
  return server;
}

const initialize = '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"t","version":"1"}}}';

describe('keel app-server proxy', () => {
  it('sends each stdin line as one frame (blank lines skipped) and writes each frame as one line', async () => {
    const server = await fixture();
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    proxy.child.stdin.write(`${initialize}\n\n   \n{"method":"initialized"}\r\n{"id":"b","method":"thread/list","params":{}}\n`);
    const connection = await server.connection();
    await expect.poll(() => proxy.lines.length).toBe(2);
    expect(connection.received).toEqual([initialize, '{"method":"initialized"}', '{"id":"b","method":"thread/list","params":{}}']);
    expect(proxy.lines).toEqual(['{"id":1,"result":{"userAgent":"fixture/0.0.0"}}', '{"id":"b","result":{"echo":{}}}']);

    // Pretty-printed JSON is whitespace between tokens: its raw newlines become spaces; escapes stay.
    const pretty = JSON.stringify({ method: 'x/y', params: { list: [1, 2], text: 'two\nlines' } }, null, 2);
    connection.socket.send(pretty);
    await expect.poll(() => proxy.lines.length).toBe(3);
    expect(proxy.lines[2]).toBe('{   "method": "x/y",   "params": {     "list": [       1,       2     ],     "text": "two\\nlines"   } }');
    expect(JSON.parse(proxy.lines[2]!)).toEqual({ method: 'x/y', params: { list: [1, 2], text: 'two\nlines' } });

    proxy.child.stdin.end();
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect(await connection.closed).toEqual({ code: 1000, reason: 'stdin ended' });
    expect(proxy.stderr()).toBe('');
  });

  it('20,000 messages each way while each side is congested: none lost, none reordered', async () => {
    const server = await fixture({ answer: null });
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    // A notification: with no request waiting for an answer, EOF closes at once.
    proxy.child.stdin.write('{"method":"initialized"}\n');
    const connection = await server.connection();
    await expect.poll(() => connection.received.length).toBe(1);
    const numbered = (method: string) => Array.from({ length: 20_000 }, (_, n) => JSON.stringify({ method, params: { n, pad: 'p'.repeat(300) } }));
    const up = numbered('client/note');
    const down = numbered('server/note');
    // Neither reader reads while both floods are sent.
    connection.socket.pause();
    proxy.child.stdout.pause();
    for (const frame of down) connection.socket.send(frame);
    const written = new Promise<void>((resolve) => proxy.child.stdin.write(up.map((line) => `${line}\n`).join(''), () => resolve()));
    connection.socket.resume();
    proxy.child.stdout.resume();
    await written;
    await expect.poll(() => connection.received.length, { timeout: 30_000 }).toBe(up.length + 1);
    await expect.poll(() => proxy.lines.length, { timeout: 30_000 }).toBe(down.length);
    expect(connection.received.slice(1)).toEqual(up);
    expect(proxy.lines).toEqual(down);
    proxy.child.stdin.end();
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('delivers what the client wrote before the connection was open, then answers and exits on EOF', async () => {
    let accept!: () => void;
    let requested!: () => void;
    const upgradeRequested = new Promise<void>((resolve) => (requested = resolve));
    const server = await fixture({ acceptAfter: new Promise((resolve) => (accept = resolve)), onUpgradeRequest: () => requested() });
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    proxy.child.stdin.end(`${initialize}\n{"method":"initialized"}\n{"id":2,"method":"model/list"}\n`);
    await upgradeRequested;
    accept();
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect((await server.connection()).received).toEqual([initialize, '{"method":"initialized"}', '{"id":2,"method":"model/list"}']);
    expect(proxy.lines).toEqual(['{"id":1,"result":{"userAgent":"fixture/0.0.0"}}', '{"id":2,"result":{"echo":null}}']);
  });

  it('the daemon closing the connection normally ends the proxy with 0 and says so on stderr', async () => {
    const server = await fixture();
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    proxy.child.stdin.write(`${initialize}\n`);
    const connection = await server.connection();
    await expect.poll(() => proxy.lines.length).toBe(1);
    connection.socket.close(1001, 'daemon stopping');
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect({ stderr: proxy.stderr(), lines: proxy.lines }).toEqual({
      stderr: 'keel app-server proxy: the daemon closed the connection (1001: daemon stopping)\n',
      lines: ['{"id":1,"result":{"userAgent":"fixture/0.0.0"}}'],
    });
  });

  it('the connection dropping without a close ends the proxy with 1', async () => {
    const server = await fixture();
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    (await server.connection()).socket.terminate();
    expect(await proxy.exited).toEqual({ code: 1, signal: null });
    expect(proxy.stderr()).toBe('keel app-server proxy: the connection to the daemon ended abnormally (1006)\n');
  });

  it('SIGTERM closes the connection normally and exits 0', async () => {
    const server = await fixture();
    const proxy = spawnProxy(['--sock', server.socketPath, '--no-start']);
    const connection = await server.connection();
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toEqual({ code: 0, signal: null });
    expect(await connection.closed).toEqual({ code: 1000, reason: 'proxy stopped' });
  });

  it('--no-start with no daemon: a clear error on stderr, nothing on stdout, exit 1', async () => {
    const home = tempHome();
    const socketPath = path.join(home, 'app-server-control', 'app-server-control.sock');
    const proxy = spawnProxy(['--no-start'], home);
    proxy.child.stdin.end(`${initialize}\n`);
    expect(await proxy.exited).toEqual({ code: 1, signal: null });
    expect({ stdout: proxy.lines, stderr: proxy.stderr() }).toEqual({
      stdout: [],
      stderr: `keel app-server proxy: no daemon listens on ${socketPath} (ENOENT); start one with \`keel app-server daemon start\`, or leave out --no-start\n`,
    });
  });
});
