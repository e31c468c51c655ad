// The inspector's side of the app-server: one WebSocket per page connection, to the Keel it
// started, to `--connect ws://…` (Codex's listener too; its capability token as a bearer header,
// which a browser page cannot send) or to a unix socket. Opened from Node, so it carries no
// Origin header: app-servers refuse browser origins, and rightly.
import fs from 'node:fs';
import WebSocket from 'ws';
import { openDaemonSocket } from '../daemon/daemon-socket.js';

export type UpstreamAddress = { kind: 'ws'; url: string; token: string | null } | { kind: 'unix'; path: string };

export async function openUpstream(address: UpstreamAddress): Promise<WebSocket> {
  if (address.kind === 'unix') return (await openDaemonSocket(address.path)).socket;
  const socket = new WebSocket(address.url, {
    perMessageDeflate: false,
    maxPayload: 0,
    handshakeTimeout: 10_000,
    ...(address.token !== null && { headers: { Authorization: `Bearer ${address.token}` } }),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`${address.url} refused the connection: HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** The token in `file`, trimmed, as `--ws-token-file` reads it. */
export function readToken(file: string): string {
  const token = fs.readFileSync(file, 'utf8').trim();
  if (token === '') throw new Error(`--token-file ${file}: the file holds no token`);
  return token;
}

/** Where an upstream is, for people: never its token. */
export function describeUpstream(address: UpstreamAddress): string {
  return address.kind === 'unix' ? `unix://${address.path}` : address.url;
}
