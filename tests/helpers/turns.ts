// Helpers for turn tests: a home with a script for the scripted provider and Keel settings, a
// thread to run turns on, and the notification sequence of a turn.
import type { InitializeCapabilities } from '../../generated/protocol.js';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ScriptStep } from '../../src/providers/scripted.js';
import { initialized, makeTempHome, spawnKeel, type IncomingMessage, type KeelProcess, type SpawnOptions } from './keel-process.js';

export interface TurnHomeOptions {
  script?: ScriptStep[][];
  /** Lines for the `[keel]` table of config.toml, e.g. `stream_idle_timeout_ms = 200`. */
  keel?: string[];
  /** Other top-level config.toml lines. */
  config?: string[];
}

export function turnHome(options: TurnHomeOptions): { home: string; env: Record<string, string> } {
  const home = makeTempHome();
  const env: Record<string, string> = {};
  if (options.script) {
    const scriptPath = path.join(home, 'script.json');
    fs.writeFileSync(scriptPath, JSON.stringify({ responses: options.script }));
    env.KEEL_SCRIPT = scriptPath;
  }
  const lines = [...(options.config ?? []), ...(options.keel ? ['[keel]', ...options.keel] : [])];
  if (lines.length > 0) fs.writeFileSync(path.join(home, 'config.toml'), lines.join('\n') + '\n');
  return { home, env };
}

/** Thread settings for tests of what tools do (not of where they may): nothing asked, nothing confined. */
export const FULL_ACCESS = { approvalPolicy: 'never', sandbox: 'danger-full-access' } as const;

export async function keelWithThread(
  options: TurnHomeOptions & { spawn?: SpawnOptions; thread?: Record<string, unknown>; capabilities?: InitializeCapabilities } = {},
): Promise<{ keel: KeelProcess; threadId: string }> {
  const { home, env } = turnHome(options);
  const keel = spawnKeel({ ...options.spawn, home, env: { ...env, ...options.spawn?.env } });
  await initialized(keel, options.capabilities);
  const started = await keel.request('thread/start', (options.thread ?? {}) as never);
  await keel.waitFor('thread/started');
  return { keel, threadId: started.thread.id };
}

/** Starts a turn and waits for its turn/completed; returns every notification in between, in order. */
export async function runTurn(keel: KeelProcess, threadId: string, text: string, timeoutMs = 10_000): Promise<IncomingMessage[]> {
  const before = keel.messages.length;
  const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text }] });
  // As in Codex, thread/status/changed comes before turn/completed, the turn's last notification.
  await keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === turn.id, timeoutMs);
  return keel.messages.slice(before).filter((m) => m.method !== undefined);
}

export const methods = (messages: readonly IncomingMessage[]) => messages.map((m) => m.method);

export type Params = Record<string, any>;
export type Seq = ReadonlyArray<{ method?: string; params?: unknown }>;

/** A message's params, untyped: tests assert whole objects against literals. */
export const params = (m: { params?: unknown }) => m.params as Params;
export const completedItems = (seq: Seq) => seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item);

/**
 * The completed items in the order they started — the calls' order, the thread's order: calls
 * that only read run side by side and may complete in either order.
 */
export function completedItemsInCallOrder(seq: Seq) {
  const startedAt = (id: unknown) => seq.findIndex((m) => m.method === 'item/started' && params(m).item.id === id);
  return completedItems(seq).sort((a, b) => startedAt(a.id) - startedAt(b.id));
}
export const turnOf = (seq: Seq) => params(seq.find((m) => m.method === 'turn/completed')!).turn;
export const errorsOf = (seq: Seq) => seq.filter((m) => m.method === 'error').map(params);
export const agentMessage = (id: string, text: string) => ({ type: 'agentMessage', id, text, phase: null, memoryCitation: null });

/** The notifications of a turn that streams one two-delta answer, in Codex's order. */
export const HELLO_METHODS = [
  'thread/status/changed',
  'turn/started',
  'item/started',
  'item/completed',
  'item/started',
  'item/agentMessage/delta',
  'item/agentMessage/delta',
  'item/completed',
  'thread/tokenUsage/updated',
  'thread/status/changed',
  'turn/completed',
];

/** What a failed item says of a call to a tool the model does not have (the list of tools grows). */
export const unknownTool = (name: string) => expect.stringMatching(new RegExp(`^unknown tool: ${name}\\. The tools you have are: `));
/** …and what the model is told of it. */
export const unknownToolOutput = (name: string) => expect.stringMatching(new RegExp(`^Error: unknown tool: ${name}\\. The tools you have are: `));

/**
 * A turn with no model: the user's shell command (thread/shellCommand), until its turn/completed.
 * thread/list lists only threads that had a turn (as Codex), so tests that list threads give them one.
 */
export async function shellTurn(keel: KeelProcess, threadId: string, command = 'true', timeoutMs = 10_000): Promise<void> {
  const completed = keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { threadId: string }).threadId === threadId, timeoutMs);
  await keel.request('thread/shellCommand', { threadId, command });
  await completed;
}

/** thread/start, then a turn (shellTurn): the thread as thread/read shows it then, listed by thread/list. */
export async function startUsedThread(keel: KeelProcess, params: Record<string, unknown> = {}) {
  const { thread } = await keel.request('thread/start', params as never);
  await shellTurn(keel, thread.id);
  return (await keel.request('thread/read', { threadId: thread.id })).thread;
}
