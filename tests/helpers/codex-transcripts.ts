// Reads the recorded conversations with Codex's real app-server (vendor/codex-protocol/…/transcripts)
// and reduces a stretch of one to comparable labels, the same way Keel's own messages are labelled,
// so a test can put the two orders side by side.
import fs from 'node:fs';
import path from 'node:path';
import { recordedProtocolDir, transcriptsDirName } from '../../scripts/codex-protocol-path.js';

type Message = { id?: unknown; method?: string; params?: any; result?: unknown; error?: unknown };
interface Line {
  dir: 'client->server' | 'server->client';
  msg: Message;
}

export function transcript(name: string): Line[] {
  const file = path.join(recordedProtocolDir, transcriptsDirName(), `${name}.jsonl`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

/**
 * A message as a label: `response` for the answer to the request in question, else the method,
 * with what distinguishes it in a lifecycle (the status, the item type, the turn's status).
 */
export function label(msg: Message, requestId: unknown): string | null {
  if (msg.method === undefined) return msg.id === requestId ? (msg.error ? 'error response' : 'response') : null;
  const p = msg.params ?? {};
  switch (msg.method) {
    case 'thread/status/changed':
      return `thread/status/changed:${p.status.type}`;
    case 'item/started':
    case 'item/completed':
      return `${msg.method}:${p.item.type}`;
    case 'turn/completed':
      return `turn/completed:${p.turn.status}`;
    default:
      return msg.method;
  }
}

/** Consecutive deltas are one label (their count depends on the model's stream, not the lifecycle). */
export function collapseDeltas(labels: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of labels) {
    const entry = l.endsWith('/delta') ? `${l}*` : l;
    if (entry.endsWith('*') && out.at(-1) === entry) continue;
    out.push(entry);
  }
  return out;
}

export interface WindowOptions {
  /** Which of the requests with this method (1-based). */
  nth?: number;
  /** Keep reading past the next client request until this notification (one Codex sends late). */
  through?: string;
  /** Methods Codex sends that the comparison leaves out (each with its reason in the test). */
  ignore: ReadonlySet<string>;
}

/** What Codex sent from the nth `method` request until the client's next request (or `through`). */
export function codexWindow(name: string, method: string, options: WindowOptions): string[] {
  const lines = transcript(name);
  let seen = 0;
  const start = lines.findIndex((l) => l.dir === 'client->server' && l.msg.method === method && l.msg.id !== undefined && ++seen === (options.nth ?? 1));
  if (start === -1) throw new Error(`${name}: no request ${method} #${options.nth ?? 1}`);
  const requestId = lines[start]!.msg.id;
  const labels: string[] = [];
  let pastNextRequest = false;
  for (const line of lines.slice(start + 1)) {
    if (line.dir === 'client->server') {
      if (line.msg.id === undefined) continue;
      if (options.through === undefined || labels.includes(options.through)) break;
      pastNextRequest = true;
      continue;
    }
    const l = label(line.msg, requestId);
    if (l === null || options.ignore.has(line.msg.method ?? '')) continue;
    // Past the next request only the late notification itself belongs to this window.
    if (pastNextRequest && l !== options.through) continue;
    labels.push(l);
    if (l === options.through) break;
  }
  return collapseDeltas(labels);
}
