// One function per figure. Each takes a contender's running server (or what it needs to start
// one) and returns one sample; run.mjs alternates contenders sample by sample.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../lib/keel-session.mjs';
import { rssBytes, startAppServer } from './app-server.mjs';

const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawn → the answer to `initialize`, on a home used before (warm). */
export async function coldStart(spec) {
  const server = startAppServer(spec);
  const { ms } = await server.initialize();
  await server.close();
  return ms;
}

/** `node -e 0`: the floor any Node program pays, measured in the same run. */
export function nodeFloor(env = process.env) {
  return new Promise((resolve) => {
    const started = performance.now();
    spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }).on('close', () => resolve(performance.now() - started));
  });
}

/** A started server with one thread: what the turn figures run on. */
export async function openSession(spec, cwd) {
  const server = startAppServer(spec);
  await server.initialize();
  const threadId = await newThread(server, cwd);
  return { server, threadId };
}

export async function newThread(server, cwd) {
  return (await server.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'danger-full-access' })).thread.id;
}

/** RSS once the server has initialized, opened a thread and sat idle for a second. */
export async function idleRss(spec, cwd) {
  const { server } = await openSession(spec, cwd);
  await settle(1_000);
  const rss = rssBytes(server.child.pid);
  await server.close();
  return rss;
}

/** turn/start → turn/completed of a two-delta answer. */
export async function hello({ server, threadId }) {
  const turn = await server.turn(threadId, 'hello');
  if (turn.status !== 'completed') throw new Error(`hello turn ${turn.status}: ${server.stderr().slice(-300)}`);
  return turn.completedAt - turn.startedAt;
}

const isDelta = (m) => m.method === 'item/agentMessage/delta';

/** A turn of `count` deltas: first → last delta notification, and the server's CPU seconds for the turn. */
export async function stream({ server, threadId }, count) {
  const cpu0 = cpuSeconds(server.child.pid);
  const turn = await server.turn(threadId, `stream ${count}`);
  const cpu = cpuSeconds(server.child.pid) - cpu0;
  const deltas = turn.seen.filter(({ message }) => isDelta(message));
  if (deltas.length !== count) throw new Error(`expected ${count} deltas, got ${deltas.length} (${turn.status})`);
  return { ms: deltas.at(-1).at - deltas[0].at, cpu };
}

/**
 * `threads` threads streaming `count` deltas each, all started at once: aggregate deltas per second
 * (all deltas over first → last), and the p99 gap between consecutive deltas of one thread.
 */
export async function concurrent(server, cwd, threads, count) {
  const ids = [];
  for (let i = 0; i < threads; i++) ids.push(await newThread(server, cwd));
  const byThread = new Map(ids.map((id) => [id, []]));
  const stop = server.listen((message, at) => {
    if (isDelta(message)) byThread.get(message.params.threadId)?.push(at);
  });
  await Promise.all(ids.map((id) => server.turn(id, `stream ${count}`)));
  stop();
  const all = [...byThread.values()];
  const total = all.reduce((n, times) => n + times.length, 0);
  if (total !== threads * count) throw new Error(`expected ${threads * count} deltas, got ${total}`);
  const first = Math.min(...all.map((t) => t[0]));
  const last = Math.max(...all.map((t) => t.at(-1)));
  const gaps = all.flatMap((times) => times.slice(1).map((t, i) => t - times[i])).sort((a, b) => a - b);
  return { deltasPerSecond: total / ((last - first) / 1000), p99GapMs: gaps[Math.floor(gaps.length * 0.99)] };
}

/** Every thread through thread/list, pages of 100: the whole listing's time. */
export async function listAll(server) {
  const started = performance.now();
  let cursor = null;
  let count = 0;
  do {
    const page = await server.request('thread/list', { limit: 100, cursor });
    count += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return { ms: performance.now() - started, count };
}

/** thread/read of one thread with its turns. */
export async function readLong(server, threadId) {
  const started = performance.now();
  const { thread } = await server.request('thread/read', { threadId, includeTurns: true });
  return { ms: performance.now() - started, turns: thread.turns.length };
}

/** A turn whose model runs `true` through the shell tool: turn/start → turn/completed. */
export async function toolTurn({ server, threadId }) {
  const turn = await server.turn(threadId, 'tool');
  const ran = turn.seen.some(({ message }) => message.method === 'item/completed' && message.params.item?.type === 'commandExecution');
  if (turn.status !== 'completed' || !ran) throw new Error(`tool turn ${turn.status}, command item ${ran ? 'seen' : 'missing'}`);
  return turn.completedAt - turn.startedAt;
}
