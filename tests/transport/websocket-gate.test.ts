// Who may open a WebSocket (src/server/listeners/upgrade-gate.ts) and the heartbeat that lets go of
// clients that stopped answering (heartbeat.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Heartbeat } from '../../src/server/listeners/heartbeat.js';
import { expectedDigest, refusalOf } from '../../src/server/listeners/upgrade-gate.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest();
const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('refusalOf', () => {
  const digest = sha256('s3cret');
  it.each<[string, http.IncomingHttpHeaders, Buffer | null, ReturnType<typeof refusalOf>]>([
    ['no token asked', {}, null, null],
    ['the right token', { authorization: 'Bearer s3cret' }, digest, null],
    ['the scheme in any case', { authorization: 'bearer s3cret' }, digest, null],
    ['no Authorization header', {}, digest, { status: 401, reason: 'missing websocket bearer token' }],
    ['another scheme', { authorization: 'Basic czNjcmV0' }, digest, { status: 401, reason: 'invalid authorization header' }],
    ['a bearer without token', { authorization: 'Bearer ' }, digest, { status: 401, reason: 'invalid authorization header' }],
    ['a wrong token', { authorization: 'Bearer s3cret2' }, digest, { status: 401, reason: 'invalid websocket bearer token' }],
    ['a browser page (Origin), even with the token', { origin: 'https://evil.example', authorization: 'Bearer s3cret' }, digest, { status: 403, reason: 'websocket requests with an Origin header are refused' }],
    ['a browser page without token asked', { origin: 'null' }, null, { status: 403, reason: 'websocket requests with an Origin header are refused' }],
  ])('%s', (_name, headers, expected, refusal) => {
    expect(refusalOf(request(headers), expected)).toEqual(refusal);
  });
});

describe('expectedDigest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-token-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };

  it('takes the token file trimmed, or the digest as given', () => {
    expect(expectedDigest({ tokenFile: file('token', '  s3cret\n') })).toEqual({ digest: sha256('s3cret') });
    expect(expectedDigest({ tokenSha256: sha256('s3cret').toString('hex') })).toEqual({ digest: sha256('s3cret') });
  });

  it('says why a token file will not do', () => {
    const empty = file('empty', ' \n');
    expect(expectedDigest({ tokenFile: empty })).toEqual({ problem: `--ws-token-file ${empty}: the file holds no token` });
    const missing = path.join(dir, 'missing');
    expect(expectedDigest({ tokenFile: missing })).toEqual({ problem: `--ws-token-file ${missing}: cannot read it (ENOENT)` });
  });
});

describe('Heartbeat', () => {
  it('terminates a client that does not answer pings, and keeps one that does', async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const silent: WebSocket[] = [];
    // A live client has one interval to answer each ping: at 30 ms a loaded machine (four test
    // files at once, in CI) let the answering client miss one and be dropped too.
    const heartbeat = new Heartbeat(250, (ws) => silent.push(ws));
    cleanups.push(() => (heartbeat.stop(), wss.close(), server.close(), server.closeAllConnections()));
    const accepted: WebSocket[] = [];
    wss.on('connection', (ws) => (accepted.push(ws), heartbeat.track(ws)));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const deaf = new WebSocket(url, { autoPong: false });
    const alive = new WebSocket(url);
    cleanups.push(() => (deaf.terminate(), alive.terminate()));
    const deafClosed = new Promise<number>((resolve) => deaf.once('close', resolve));
    let pings = 0;
    const threePings = new Promise<void>((resolve) => alive.on('ping', () => ++pings === 3 && resolve()));
    expect(await deafClosed).toBe(1006);
    await threePings;
    expect(silent).toHaveLength(1);
    expect(accepted.filter((ws) => ws !== silent[0]).map((ws) => ws.readyState)).toEqual([WebSocket.OPEN]);
    expect(alive.readyState).toBe(WebSocket.OPEN);
  });
});
