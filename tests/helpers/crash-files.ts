// Killing Keel while it writes files: a workspace of many files, a scripted turn whose apply_patch
// rewrites every one of them, a SIGKILL at a chosen delay after the write began (the fileChange's
// item/started) or after a `thread/revert {restoreFiles}` was sent, and what a restarted Keel and
// the disk then say. Shared by the reliability part (many seeded runs) and the e2e test (a few).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { ThreadReadResponse } from '../../generated/protocol.js';
import { initialized, spawnKeel, testClientInfo, type KeelProcess } from './keel-process.js';
import { FULL_ACCESS, params, turnHome } from './turns.js';
import { workspace } from './workspace.js';

const WAIT_MS = 60_000;

/** Each file's content before the patch: about a KB, the bulk beyond the diff's context so the item stays small. */
const FILLER = `1\n2\n3\n4\n${'b'.repeat(1000)}\n`;
export const beforeText = (i: number) => `before ${i}\n${FILLER}`;
export const afterText = (i: number) => `after ${i}\n${FILLER}`;
const fileName = (i: number) => `f${String(i).padStart(3, '0')}.txt`;

/** The patch rewriting the first line of each of `count` files. */
export function patchOf(count: number): string {
  const ops = Array.from({ length: count }, (_, i) => [`*** Update File: ${fileName(i)}`, '@@', `-before ${i}`, `+after ${i}`].join('\n'));
  return ['*** Begin Patch', ...ops, '*** End Patch'].join('\n');
}

export interface CrashSetup {
  home: string;
  env: Record<string, string>;
  cwd: string;
  count: number;
}

/** A home whose first turn applies the patch to `count` files, and the workspace it applies to. */
export function crashSetup(count: number): CrashSetup {
  const cwd = workspace(Object.fromEntries(Array.from({ length: count }, (_, i) => [fileName(i), beforeText(i)])));
  const script = [[{ toolCall: { name: 'apply_patch', arguments: { input: patchOf(count) }, callId: 'call_patch' } }], [{ text: 'patched' }]];
  const { home, env } = turnHome({ script });
  return { home, env, cwd, count };
}

/** What the disk holds: every file all before, all after, or a mix; any other file (a temp, a cut file) listed. */
export interface DiskVerdict {
  before: number;
  after: number;
  other: string[];
}

export function diskVerdict({ cwd, count }: CrashSetup): DiskVerdict {
  const verdict: DiskVerdict = { before: 0, after: 0, other: [] };
  const names = new Set(fs.readdirSync(cwd));
  for (let i = 0; i < count; i++) {
    const name = fileName(i);
    names.delete(name);
    const text = fs.existsSync(path.join(cwd, name)) ? fs.readFileSync(path.join(cwd, name), 'utf8') : null;
    if (text === beforeText(i)) verdict.before++;
    else if (text === afterText(i)) verdict.after++;
    else verdict.other.push(`${name}: ${text === null ? 'missing' : `${text.length} chars`}`);
  }
  verdict.other.push(...[...names].map((name) => `${name}: not the patch's`));
  return verdict;
}

/** Killed mid-write: files of both sides, or a temp or cut file, on disk. */
export const isMixed = (v: DiskVerdict) => v.other.length > 0 || (v.before > 0 && v.after > 0);

export async function startThread(setup: CrashSetup): Promise<{ keel: KeelProcess; threadId: string }> {
  const keel = spawnKeel({ home: setup.home, env: setup.env, cwd: setup.cwd });
  await initialized(keel);
  const { thread } = await keel.request('thread/start', { ...FULL_ACCESS, cwd: setup.cwd }, WAIT_MS);
  return { keel, threadId: thread.id };
}

const isFileChangeStart = (m: { method?: string; params?: unknown }) => m.method === 'item/started' && params(m).item.type === 'fileChange';

/** Starts the patch turn and resolves when its fileChange item has started (the write is about to begin). */
export async function startPatchTurn(keel: KeelProcess, threadId: string): Promise<{ turnId: string }> {
  const started = keel.waitFor(isFileChangeStart, WAIT_MS);
  const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'patch everything' }] }, WAIT_MS);
  await started;
  return { turnId: turn.id };
}

/** Runs the patch turn to its end; returns how long the write took (item/started to item/completed of the fileChange). */
export async function runPatchTurn(keel: KeelProcess, threadId: string): Promise<number> {
  const { turnId } = await startPatchTurn(keel, threadId);
  const from = Date.now();
  await keel.waitFor((m) => m.method === 'item/completed' && params(m).item.type === 'fileChange', WAIT_MS);
  const took = Date.now() - from;
  await keel.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turnId, WAIT_MS);
  return took;
}

/** SIGKILLs Keel `delayMs` from now. */
export async function killAfter(keel: KeelProcess, delayMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  keel.abandonOutput();
  process.kill(keel.pid, 'SIGKILL');
  expect(await keel.exited).toEqual({ code: null, signal: 'SIGKILL' });
}

/**
 * A restarted Keel's view of the thread: read, then resumed (which loads it), then closed. Keel
 * puts files back before it serves, so `initialize` may wait on a few hundred fsyncs.
 */
export async function afterRestart(setup: CrashSetup, threadId: string): Promise<ThreadReadResponse> {
  const keel = spawnKeel({ home: setup.home, env: setup.env, cwd: setup.cwd });
  await keel.request('initialize', { clientInfo: testClientInfo, capabilities: {} }, WAIT_MS);
  keel.notify('initialized');
  const read = await keel.request('thread/read', { threadId, includeTurns: true }, WAIT_MS);
  const resumed = await keel.request('thread/resume', { threadId }, WAIT_MS);
  expect(resumed.thread.turns).toEqual(read.thread.turns);
  expect(await keel.close()).toBe(0);
  return read;
}

type Turn = ThreadReadResponse['thread']['turns'][number];
type Item = Turn['items'][number];

/** The fileChange item of the thread's only turn (undefined: the kill came before it started). */
export const fileChangeOf = (read: ThreadReadResponse): Extract<Item, { type: 'fileChange' }> | undefined =>
  read.thread.turns.flatMap((turn) => turn.items).find((item): item is Extract<Item, { type: 'fileChange' }> => item.type === 'fileChange');

/** What breaks "after any kill during a patch, nothing is in progress and the files are as the item says", in one line; null: it held. */
export function patchDisagreement(read: ThreadReadResponse, disk: DiskVerdict, count: number): string | null {
  const problems: string[] = [];
  const turns = read.thread.turns;
  if (turns.some((turn) => turn.status === 'inProgress')) problems.push('turn inProgress');
  const items = turns.flatMap((turn) => turn.items).filter((item) => 'status' in item && item.status === 'inProgress');
  if (items.length > 0) problems.push(`items inProgress: ${items.map((item) => item.type).join(', ')}`);
  const status = fileChangeOf(read)?.status ?? 'none';
  const applied = status === 'completed';
  if (disk.before !== (applied ? 0 : count) || disk.after !== (applied ? count : 0) || disk.other.length > 0) {
    problems.push(`fileChange ${status} but on disk ${disk.before} before, ${disk.after} after, ${disk.other.length} other${disk.other.length > 0 ? ` (${disk.other[0]})` : ''}`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}

/** After a kill during a revert with restoreFiles, the files must match what the log says (reverted: all before; not: all after). */
export function revertDisagreement(read: ThreadReadResponse, disk: DiskVerdict, count: number): string | null {
  const reverted = read.thread.turns.length === 0;
  if (disk.before === (reverted ? count : 0) && disk.after === (reverted ? 0 : count) && disk.other.length === 0) return null;
  return `log ${reverted ? 'reverted' : 'not reverted'} but on disk ${disk.before} before, ${disk.after} after, ${disk.other.length} other${disk.other.length > 0 ? ` (${disk.other[0]})` : ''}`;
}
