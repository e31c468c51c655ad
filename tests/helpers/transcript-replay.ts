// Replays the client side of a recorded conversation with Codex's real app-server against Keel, line
// for line as the client sent it: the same methods, params and request ids. Only what cannot be the
// same is translated — the machine paths ($WORK, $CODEX_HOME) and the ids Codex made up (threads,
// turns, items), which are mapped to the ones Keel answered at the same place of the same answer.
// The replay keeps the client's pace: each request waits for the answer to the one before, a line the
// client sent after a `turn/completed` waits for Keel's, and a reply to a server request waits for
// Keel's request at the same position.
import { transcript } from './codex-transcripts.js';
import type { IncomingMessage, KeelProcess } from './keel-process.js';

type Json = unknown;
type Message = { id?: unknown; method?: string; params?: Json; result?: Json; error?: { code: number; message: string } | undefined };

export interface ReplayedRequest {
  id: unknown;
  method: string;
  codex: Message;
  keel: IncomingMessage;
}

export interface ReplayOptions {
  /** What `$WORK` and `$CODEX_HOME` stand for here. */
  work: string;
  home: string;
  /** Codex ids already known before the replay (e.g. a thread seeded beforehand) -> Keel's. */
  ids?: Map<string, string>;
}

/** The keys whose string values are ids Codex chose; Keel's value at the same place is its own. */
const ID_KEYS = new Set(['id', 'threadId', 'turnId', 'itemId', 'forkedFromId', 'parentThreadId', 'rootTurnId', 'sessionId']);

/** Records codex id -> keel id for every id found at the same place of two answers. */
export function alignIds(codex: Json, keel: Json, ids: Map<string, string>): void {
  if (Array.isArray(codex) && Array.isArray(keel)) {
    codex.forEach((value, index) => alignIds(value, keel[index], ids));
    return;
  }
  if (typeof codex !== 'object' || codex === null || typeof keel !== 'object' || keel === null) return;
  for (const [key, value] of Object.entries(codex)) {
    const theirs = (keel as Record<string, Json>)[key];
    if (ID_KEYS.has(key) && typeof value === 'string' && typeof theirs === 'string') {
      if (!ids.has(value)) ids.set(value, theirs);
    } else {
      alignIds(value, theirs, ids);
    }
  }
}

/** The client's line with the machine paths and the ids translated; nothing else changes. */
function translate(value: Json, options: ReplayOptions, ids: Map<string, string>): Json {
  if (typeof value === 'string') {
    const mapped = ids.get(value);
    if (mapped !== undefined) return mapped;
    return value.replaceAll('$WORK', options.work).replaceAll('$CODEX_HOME', options.home);
  }
  if (Array.isArray(value)) return value.map((inner) => translate(inner, options, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, translate(inner, options, ids)]));
  }
  return value;
}

const isServerRequest = (m: Message) => m.method !== undefined && m.id !== undefined;
const isKeelServerRequest = (m: IncomingMessage) => m.method !== undefined && m.id !== undefined;

/** Sends the transcript's client lines to `keel` (already spawned, not yet initialized). */
export async function replayClientTraffic(name: string, keel: KeelProcess, options: ReplayOptions): Promise<ReplayedRequest[]> {
  const lines = transcript(name).filter((line) => line.msg !== null);
  const ids = new Map(options.ids ?? []);
  const codexAnswers = new Map<unknown, Message>(lines.filter((l) => l.dir === 'server->client' && l.msg.method === undefined).map((l) => [l.msg.id, l.msg as Message]));
  const codexServerRequests = lines.filter((l) => l.dir === 'server->client' && isServerRequest(l.msg as Message)).map((l) => l.msg.id);
  const keelServerRequests: IncomingMessage[] = [];
  const replayed: ReplayedRequest[] = [];
  let codexTurnsCompleted = 0;
  let keelTurnsCompleted = 0;
  for (const line of lines) {
    const msg = line.msg as Message;
    if (line.dir === 'server->client') {
      if (msg.method === 'turn/completed') codexTurnsCompleted++;
      continue;
    }
    // The client saw these turns end before it sent this line.
    for (; keelTurnsCompleted < codexTurnsCompleted; keelTurnsCompleted++) await keel.waitFor('turn/completed');
    if (msg.method === undefined) {
      // A reply to a server request: to Keel's request at the same position.
      const position = codexServerRequests.indexOf(msg.id);
      while (keelServerRequests.length <= position) keelServerRequests.push(await keel.waitFor(isKeelServerRequest));
      keel.sendLine(JSON.stringify({ ...(translate(msg, options, ids) as object), id: keelServerRequests[position]!.id }));
      continue;
    }
    const sent = translate(msg, options, ids) as Message;
    if (msg.id === undefined) {
      keel.sendLine(JSON.stringify(sent));
      continue;
    }
    const answer = await keel.requestRaw(sent as Record<string, unknown>);
    const codex = codexAnswers.get(msg.id);
    if (codex === undefined) throw new Error(`${name}: Codex never answered request ${JSON.stringify(msg.id)} (${msg.method})`);
    if (codex.result !== undefined && answer.result !== undefined) alignIds(codex.result, answer.result, ids);
    replayed.push({ id: msg.id, method: msg.method, codex, keel: answer });
  }
  for (; keelTurnsCompleted < codexTurnsCompleted; keelTurnsCompleted++) await keel.waitFor('turn/completed');
  return replayed;
}
