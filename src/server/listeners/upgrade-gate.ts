// Who may open a WebSocket, decided on the HTTP upgrade request before any frame is exchanged.
// - A request carrying an Origin header comes from a browser page and is refused (403), as Codex
//   does: a web page must not drive a local agent.
// - With a capability token (`--ws-auth capability-token`), the client sends `Authorization:
//   Bearer <token>`; its SHA-256 is compared with the expected digest in constant time. Missing
//   or malformed header, or a wrong token → 401 with Codex's reason.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { CapabilityToken } from '../../kernel/listen-address.js';
import { secrets } from '../../kernel/redact.js';

export interface Refusal {
  status: 401 | 403;
  reason: string;
}

/** The expected SHA-256 of the token (32 bytes), or why it cannot be had. */
export function expectedDigest(auth: CapabilityToken): { digest: Buffer } | { problem: string } {
  if ('tokenSha256' in auth) return { digest: Buffer.from(auth.tokenSha256, 'hex') };
  let token: string;
  try {
    token = fs.readFileSync(auth.tokenFile, 'utf8').trim();
  } catch (error) {
    return { problem: `--ws-token-file ${auth.tokenFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  if (token === '') return { problem: `--ws-token-file ${auth.tokenFile}: the file holds no token` };
  secrets.remember(token);
  return { digest: sha256(token) };
}

function sha256(text: string): Buffer {
  return crypto.createHash('sha256').update(text, 'utf8').digest();
}

/** Why this upgrade request is refused, or null to accept it. `digest` null: no token asked. */
export function refusalOf(request: IncomingMessage, digest: Buffer | null): Refusal | null {
  if (request.headers.origin !== undefined) return { status: 403, reason: 'websocket requests with an Origin header are refused' };
  if (digest === null) return null;
  const header = request.headers.authorization;
  if (header === undefined) return { status: 401, reason: 'missing websocket bearer token' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return { status: 401, reason: 'invalid authorization header' };
  // Both sides are SHA-256 digests, so the lengths match and the comparison leaks nothing of the token.
  if (!crypto.timingSafeEqual(sha256(match[1]!), digest)) return { status: 401, reason: 'invalid websocket bearer token' };
  return null;
}
