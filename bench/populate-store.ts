// Fills a fresh SQLite file with what Keel itself writes, through the real store modules:
// THREADS small threads (one `thread/created` event each) and one long thread of TURNS turns ×
// ITEMS_PER_TURN items. Used by bench/thread-scale.mjs; run as
//   node --import tsx bench/populate-store.ts <dbPath>
// Prints one JSON line on stdout: { bigThreadId, threads, events, ms }.
import { performance } from 'node:perf_hooks';
import { stampEvent, type KeelEvent, type ThreadSettings } from '../src/core/events.js';
import type { ThreadItem } from '../src/core/protocol-types.js';
import { reduceThread, replay } from '../src/core/reduce.js';
import type { ThreadState } from '../src/core/state.js';
import { summaryOf } from '../src/core/summary.js';
import { uuidv7 } from '../src/engine/ids.js';
import { openDatabase } from '../src/store/database.js';
import { EventLog } from '../src/store/event-log.js';

export const THREADS = 50_000;
export const TURNS = 100;
export const ITEMS_PER_TURN = 100;
/** Small threads committed per outer transaction (each append is a savepoint inside it). */
const BATCH = 5_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Threads were created over the year before the long thread. */
const SPAN_MS = 365 * DAY_MS;
const CWDS = Array.from({ length: 40 }, (_, i) => `/home/dev/projects/${['api', 'web', 'infra', 'mobile', 'tools'][i % 5]}-${i}`);
const NAMES = ['Fix flaky login test', 'Refactor billing module', 'Upgrade to Node 20', 'Add retry to uploader', 'Investigate memory leak', 'Write migration for orders'];

// Deterministic pseudo-random numbers (mulberry32), so every run writes the same shape of data.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const WORDS = (
  'the function returns early when the cursor is null so the caller never sees the last page ' +
  'I updated the test fixture and reran the suite which now passes on both linux and macos ' +
  'next I will check the migration path for existing databases and add a regression test for it'
).split(' ');
/** Prose of about `chars` characters. */
function prose(chars: number): string {
  let text = '';
  while (text.length < chars) text += (text === '' ? '' : ' ') + pick(WORDS);
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

function settingsFor(cwd: string): ThreadSettings {
  return {
    cwd,
    model: 'gpt-5',
    modelProvider: random() < 0.8 ? 'openai' : 'anthropic',
    approvalPolicy: 'on-request',
    sandbox: { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
    reasoningEffort: null,
    baseInstructions: null,
    developerInstructions: null,
    config: null,
  };
}

function created(threadId: string, at: number, cwd: string, name: string | null): KeelEvent {
  return stampEvent(threadId, at, {
    type: 'thread/created' as const,
    settings: settingsFor(cwd),
    origin: { ephemeral: false, cliVersion: '0.1.0', forkedFromId: null },
    ...(name === null ? {} : { name }),
  });
}

/** The items of one turn: a user message, then mostly agent messages with some reasoning. */
function itemFor(index: number, id: string): ThreadItem {
  if (index === 0) return { type: 'userMessage', id, content: [{ type: 'text', text: prose(160), text_elements: [] }] };
  if (index % 10 === 1) return { type: 'reasoning', id, summary: [prose(120)], content: [prose(200)] };
  return { type: 'agentMessage', id, text: prose(200), phase: null, memoryCitation: null };
}

function populateSmallThreads(database: Awaited<ReturnType<typeof openDatabase>>, log: EventLog, now: number): void {
  const writeBatch = database.sqlite.transaction((events: KeelEvent[]) => {
    for (const event of events) log.append(event.threadId, [event], replay([event])!);
  });
  let batch: KeelEvent[] = [];
  for (let i = 0; i < THREADS; i++) {
    // Spread evenly over the span, with jitter so creation times are not a perfect grid.
    const at = Math.round(now - SPAN_MS + (i / THREADS) * SPAN_MS + random() * 60_000);
    const name = random() < 0.3 ? `${pick(NAMES)} #${i}` : null;
    batch.push(created(uuidv7(at), at, pick(CWDS), name));
    if (batch.length === BATCH) {
      writeBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) writeBatch(batch);
}

/** The long thread, written a turn at a time as a live run would commit it (one append per turn). */
function populateBigThread(database: Awaited<ReturnType<typeof openDatabase>>, log: EventLog, now: number): { threadId: string; events: number } {
  const threadId = uuidv7(now);
  let at = now;
  let state: ThreadState | undefined;
  let written = 0;
  const apply = (events: KeelEvent[]) => {
    for (const event of events) state = reduceThread(state, event);
    log.append(threadId, events, state!);
    written += events.length;
  };
  const writeAll = database.sqlite.transaction(() => {
    apply([created(threadId, at, CWDS[0]!, 'Long-running refactor')]);
    for (let t = 0; t < TURNS; t++) {
      const turnId = uuidv7((at += 1_000));
      const events: KeelEvent[] = [stampEvent(threadId, at, { type: 'turn/started', turnId, model: 'gpt-5' })];
      for (let i = 0; i < ITEMS_PER_TURN; i++) {
        const itemId = uuidv7((at += 50));
        const item = itemFor(i, itemId);
        events.push(stampEvent(threadId, at, { type: 'item/started', turnId, itemId, item: startedForm(item) }));
        events.push(stampEvent(threadId, (at += 200), { type: 'item/completed', turnId, itemId, item }));
      }
      events.push(stampEvent(threadId, (at += 100), { type: 'turn/completed', turnId, status: 'completed', error: null }));
      apply(events);
    }
  });
  writeAll();
  // The index row is written from the incremental state; check a full replay agrees.
  const replayed = summaryOf(replay(log.read(threadId))!);
  if (JSON.stringify(replayed) !== JSON.stringify(log.summary(threadId))) throw new Error('replayed summary differs from the stored row');
  return { threadId, events: written };
}

/** What `item/started` carries: the item before its text streamed in. */
function startedForm(item: ThreadItem): ThreadItem {
  if (item.type === 'agentMessage') return { ...item, text: '' };
  if (item.type === 'reasoning') return { ...item, summary: [], content: [] };
  return item;
}

async function main(): Promise<void> {
  const dbPath = process.argv[2];
  if (!dbPath) throw new Error('usage: node --import tsx bench/populate-store.ts <dbPath>');
  const started = performance.now();
  const database = await openDatabase(dbPath);
  try {
    const log = new EventLog(database);
    const now = Date.now() - DAY_MS;
    populateSmallThreads(database, log, now - DAY_MS);
    const big = populateBigThread(database, log, now);
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const threads = database.sqlite.prepare('SELECT count(*) FROM threads').pluck().get() as number;
    const events = database.sqlite.prepare('SELECT count(*) FROM events').pluck().get() as number;
    process.stdout.write(`${JSON.stringify({ bigThreadId: big.threadId, bigThreadEvents: big.events, threads, events, ms: performance.now() - started })}\n`);
  } finally {
    await database.close();
  }
}

await main();
