// Who can reach `keel inspect`, checked from Node with plain HTTP and the `ws` client (no browser):
// loopback only, a one-time token spent for an HttpOnly SameSite=Strict cookie, a CSP on every
// answer, a rebound Host refused, the page's WebSocket only with the cookie from the page's own
// origin; and where it connects: a Keel of its own, a Keel on ws:// with a capability token, a Keel
// on a unix socket, an upstream that refuses (named in the close reason). Its usage errors exit 2.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { keelEntry } from '../helpers/keel-process.js';
import { sessionCookie, startInspector, startListeningKeel, stopAllInspectors, type RunningInspector } from '../helpers/inspector.js';

afterAll(stopAllInspectors);

const INITIALIZE = { id: 1, method: 'initialize', params: { clientInfo: { name: 'access-test', title: 'access test', version: '0.0.0' }, capabilities: { experimentalApi: true } } };

type SocketOutcome = { kind: 'refused'; status: number } | { kind: 'open'; socket: WebSocket };

/** Opens the page's WebSocket with these headers: open, or refused with an HTTP status. */
function openPageSocket(inspector: RunningInspector, headers: Record<string, string>): Promise<SocketOutcome> {
  const socket = new WebSocket(`ws://127.0.0.1:${new URL(inspector.origin).port}/ws`, { headers, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ kind: 'refused', status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

async function pageSocket(inspector: RunningInspector): Promise<WebSocket> {
  const outcome = await openPageSocket(inspector, { cookie: await sessionCookie(inspector), origin: inspector.origin });
  if (outcome.kind !== 'open') throw new Error(`the page socket was refused: HTTP ${outcome.status}`);
  return outcome.socket;
}

/** The first frame's JSON, or how the socket closed if it closed first. */
function firstAnswer(socket: WebSocket): Promise<{ message: Record<string, unknown> } | { closed: { code: number; reason: string } }> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve({ message: JSON.parse(data.toString()) as Record<string, unknown> }));
    socket.once('close', (code, reason) => resolve({ closed: { code, reason: reason.toString() } }));
  });
}

async function initializeThrough(inspector: RunningInspector): Promise<Record<string, unknown>> {
  const socket = await pageSocket(inspector);
  socket.send(JSON.stringify(INITIALIZE));
  const answer = await firstAnswer(socket);
  socket.close();
  if (!('message' in answer)) throw new Error(`the page socket closed before initialize was answered: ${JSON.stringify(answer.closed)}`);
  return answer.message;
}

/** A GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(origin: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}/`, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
  });
}

/** Whether anything accepts a TCP connection at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function runKeel(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [keelEntry, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('keel inspect: the page server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const inspector = await startInspector();
    expect(new URL(inspector.url).hostname).toBe('127.0.0.1');
    const port = Number(new URL(inspector.origin).port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    const otherAddresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((entry) => entry !== undefined && !(entry.family === 'IPv4' && entry.internal))
      .map((entry) => entry!.address.split('%')[0]!);
    for (const address of otherAddresses) expect({ address, accepts: await accepts(address, port) }).toEqual({ address, accepts: false });
    await inspector.stop();
  });

  it('exchanges the one-time token once for an HttpOnly SameSite=Strict cookie, with a CSP on every answer', async () => {
    const inspector = await startInspector();
    const bare = await fetch(`${inspector.origin}/`, { redirect: 'manual' });
    expect(bare.status).toBe(403);
    expect(bare.headers.get('content-security-policy')).toContain("default-src 'none'");

    const exchange = await fetch(inspector.url, { redirect: 'manual' });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.get('location')).toBe('/');
    const setCookie = exchange.headers.get('set-cookie') ?? '';
    expect(setCookie.split(';').map((part) => part.trim())).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    const cookie = setCookie.split(';')[0]!;

    const again = await fetch(inspector.url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(await again.text()).toBe('this token was already used or is wrong: run keel inspect again for a new address\n');

    const page = await fetch(`${inspector.origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(await page.text()).toContain('app.js');
    await inspector.stop();
  });

  it('refuses a request naming another host (DNS rebinding) with 421', async () => {
    const inspector = await startInspector();
    const port = new URL(inspector.origin).port;
    expect(await getWithHost(inspector.origin, `rebound.example:${port}`)).toBe(421);
    expect(await getWithHost(inspector.origin, `127.0.0.1:${port}`)).toBe(403); // the right host, still no session
    await inspector.stop();
  });

  it('opens the page WebSocket only with the session cookie from its own origin; then the app-server answers initialize', async () => {
    const inspector = await startInspector();
    const cookie = await sessionCookie(inspector);
    expect(await openPageSocket(inspector, { origin: inspector.origin })).toEqual({ kind: 'refused', status: 403 });
    expect(await openPageSocket(inspector, { cookie, origin: 'http://evil.example' })).toEqual({ kind: 'refused', status: 403 });
    expect(await openPageSocket(inspector, { cookie })).toEqual({ kind: 'refused', status: 403 });
    const outcome = await openPageSocket(inspector, { cookie, origin: inspector.origin });
    expect(outcome.kind).toBe('open');
    const socket = (outcome as { socket: WebSocket }).socket;
    socket.send(JSON.stringify(INITIALIZE));
    const answer = await firstAnswer(socket);
    expect(answer).toMatchObject({ message: { id: 1, result: { userAgent: expect.stringMatching(/^access-test\/.* keel\/\S+ \(access-test; 0\.0\.0\)$/) } } });
    socket.close();
    expect(await inspector.stop()).toBe(0);
  });
});

describe('keel inspect --connect', () => {
  it('relays to a Keel on ws:// guarded by a capability token, read from --token-file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-token-'));
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'a-capability-token-for-the-test\n', { mode: 0o600 });
    const keel = await startListeningKeel('ws://127.0.0.1:0', ['--ws-auth', 'capability-token', '--ws-token-file', tokenFile]);
    try {
      const inspector = await startInspector({ args: ['--connect', keel.url, '--token-file', tokenFile] });
      expect(await initializeThrough(inspector)).toMatchObject({ id: 1, result: { userAgent: expect.any(String) } });
      expect(await inspector.stop()).toBe(0);
    } finally {
      await keel.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes the page socket with a reason naming the upstream when it refuses (no token)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-token-'));
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'the-right-token\n', { mode: 0o600 });
    const keel = await startListeningKeel('ws://127.0.0.1:0', ['--ws-auth', 'capability-token', '--ws-token-file', tokenFile]);
    try {
      const inspector = await startInspector({ args: ['--connect', keel.url] });
      const socket = await pageSocket(inspector);
      const answer = await firstAnswer(socket);
      expect(answer).toEqual({ closed: { code: 1011, reason: expect.stringMatching(/^app-server: /) } });
      const reason = (answer as { closed: { reason: string } }).closed.reason;
      expect(reason).toContain(keel.url);
      expect(reason).toMatch(/refused the connection: HTTP 401/);
      expect(inspector.stderr()).toContain(`keel inspect: ${keel.url}: ${keel.url} refused the connection: HTTP 401`);
      expect(await inspector.stop()).toBe(0);
    } finally {
      await keel.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('relays to a Keel on a unix socket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-unix-'));
    const socketPath = path.join(dir, 'keel.sock');
    const keel = await startListeningKeel(`unix://${socketPath}`);
    try {
      expect(keel.url).toBe(`unix://${socketPath}`);
      const inspector = await startInspector({ args: ['--connect', `unix://${socketPath}`] });
      expect(await initializeThrough(inspector)).toMatchObject({ id: 1, result: { userAgent: expect.any(String) } });
      expect(await inspector.stop()).toBe(0);
    } finally {
      await keel.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('keel inspect: its command line', () => {
  it('prints its help and exits 0', () => {
    const result = runKeel(['inspect', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^The Keel Inspector: a web page that watches and drives an app-server/);
    for (const flag of ['--connect ws://HOST:PORT', '--token-file PATH', '--connect unix://[PATH]', '--port PORT', '-c, --config key=value']) expect(result.stdout).toContain(flag);
  });

  it.each([
    [['--token-file', '/tmp/t'], '--token-file goes with --connect ws://…'],
    [['--connect', 'http://127.0.0.1:1'], '--connect http://127.0.0.1:1: expected ws://HOST:PORT or unix://[PATH]'],
    [['--connect', 'unix://relative.sock'], '--connect unix://relative.sock: the socket path must be absolute'],
    [['--connect', 'ws://127.0.0.1:1', '-c', 'model="x"'], '-c configures the Keel the inspector starts; with --connect, configure that server instead'],
    [['--port', 'eighty'], '--port eighty: expected a port number (0 for a free one)'],
    [['extra'], 'unexpected argument extra'],
  ])('refuses %j with exit 2', (args, message) => {
    const result = runKeel(['inspect', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
