// Property: for generated histories (turns, items, deltas, errors, interrupts, failures, renames,
// archives, reverts, forks, deletes), folding the live notifications client-side with the core
// reducer gives exactly what thread/read returns after the store is reopened ("restart").
import { describe, expect, it } from 'vitest';
import { foldNotification } from '../../src/core/codec.js';
import { allTurns, threadSnapshot } from '../../src/core/snapshot.js';
import { emptyClientState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';
import { openTestKeel } from '../helpers/engine.js';
import { rng } from '../helpers/rng.js';
import { eventAt, openScenario, type Scenario } from './thread-scenario.js';

const STEPS = 120;

async function generate(scenario: Scenario, seed: number): Promise<void> {
  const r = rng(seed);
  const { threads, registry } = scenario.keel;
  const client = scenario.client;
  // Each command's notifications go out right after it, as after its response.
  const run = async <T>(command: Promise<{ value: T; publish: () => void }>): Promise<T> => {
    const { value, publish } = await command;
    publish();
    return value;
  };
  const live: string[] = [];
  const start = async () => live.push((await run(threads.start({}, client))).id);
  await start();
  let seq = 0;
  const itemId = () => `item-${++seq}`;
  for (let step = 0; step < STEPS; step++) {
    if (live.length === 0) await start();
    const threadId = r.pick(live);
    // A thread archived (and so unloaded) is resumed, as a client would, before it is used again.
    if (!registry.get(threadId)?.subscribers.has(client)) await run(threads.resume(threadId, {}, client));
    const runtime = registry.get(threadId)!;
    const apply = (...events: ReturnType<typeof eventAt>[]) => runtime.apply(events);
    const active = runtime.state.activeTurnId;
    if (active === null) {
      const choice = r.int(10);
      if (choice < 5) {
        const turnId = `turn-${++seq}`;
        const id = itemId();
        const user = { type: 'userMessage' as const, id, content: [{ type: 'text' as const, text: `ask ${seq}`, text_elements: [] }] };
        apply(eventAt(scenario, threadId, { type: 'turn/started', turnId, model: 'm' }));
        apply(eventAt(scenario, threadId, { type: 'item/started', turnId, itemId: id, item: user }), eventAt(scenario, threadId, { type: 'item/completed', turnId, itemId: id, item: user }));
      } else if (choice === 5) {
        await run(threads.rename(threadId, `name ${seq++}`, client));
      } else if (choice === 6) {
        const archived = runtime.state.archived;
        await run(archived ? threads.unarchive(threadId, client) : threads.archive(threadId, client));
      } else if (choice === 7 && runtime.state.turns.length > 0) {
        const turns = allTurns(runtime.state);
        await run(threads.revert(threadId, r.pick(turns).id, client));
      } else if (choice === 8) {
        const turns = allTurns(runtime.state);
        const lastTurnId = turns.length > 0 && r.next() < 0.5 ? r.pick(turns).id : null;
        live.push((await run(threads.fork(threadId, { lastTurnId }, client))).id);
      } else if (choice === 9 && live.length > 1 && r.next() < 0.3) {
        await run(threads.delete(threadId, client));
        live.splice(live.indexOf(threadId), 1);
      }
      continue;
    }
    const turnId = active;
    const choice = r.int(8);
    if (choice === 0) {
      const id = itemId();
      apply(eventAt(scenario, threadId, { type: 'item/started', turnId, itemId: id, item: { type: 'agentMessage', id, text: '', phase: null, memoryCitation: null } }));
      let text = '';
      for (let i = r.int(12); i > 0; i--) {
        const delta = `w${r.int(100)} `;
        text += delta;
        apply(eventAt(scenario, threadId, { type: 'item/delta', turnId, itemId: id, channel: 'agentMessage', index: 0, delta }));
      }
      if (r.next() < 0.8) {
        apply(eventAt(scenario, threadId, { type: 'item/completed', turnId, itemId: id, item: { type: 'agentMessage', id, text, phase: null, memoryCitation: null } }));
      }
    } else if (choice === 1) {
      const id = itemId();
      apply(eventAt(scenario, threadId, { type: 'item/started', turnId, itemId: id, item: { type: 'reasoning', id, summary: [], content: [] } }));
      for (let part = 0; part < 1 + r.int(3); part++) {
        apply(eventAt(scenario, threadId, { type: 'item/summaryPartAdded', turnId, itemId: id, index: part }));
        for (let i = r.int(4); i > 0; i--) apply(eventAt(scenario, threadId, { type: 'item/delta', turnId, itemId: id, channel: 'reasoningSummary', index: part, delta: `s${i}` }));
        if (r.next() < 0.5) apply(eventAt(scenario, threadId, { type: 'item/delta', turnId, itemId: id, channel: 'reasoningText', index: part, delta: `raw${part}` }));
      }
    } else if (choice === 2) {
      const id = itemId();
      const command = { type: 'commandExecution' as const, id, command: 'ls', cwd: '/w', processId: null, source: 'agent' as const, status: 'inProgress' as const, commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
      apply(eventAt(scenario, threadId, { type: 'item/started', turnId, itemId: id, item: command }));
      for (let i = r.int(5); i > 0; i--) apply(eventAt(scenario, threadId, { type: 'item/delta', turnId, itemId: id, channel: 'commandOutput', index: 0, delta: `line ${i}\n` }));
      apply(eventAt(scenario, threadId, { type: 'item/completed', turnId, itemId: id, item: { ...command, status: 'completed', aggregatedOutput: 'final\n', exitCode: 0, durationMs: 5 } }));
    } else if (choice === 3) {
      const breakdown = { totalTokens: 10 + seq, inputTokens: 7, cachedInputTokens: 1, cacheWriteInputTokens: 0, outputTokens: 3 + seq, reasoningOutputTokens: 0 };
      apply(eventAt(scenario, threadId, { type: 'turn/tokenUsage', turnId, last: breakdown, modelContextWindow: 1000, route: { provider: 'openai', model: r.pick(['gpt-5', 'gpt-4.1']) } }));
    } else if (choice === 4) {
      apply(eventAt(scenario, threadId, { type: 'turn/error', turnId, willRetry: true, error: { message: 'retrying', codexErrorInfo: 'serverOverloaded', additionalDetails: null } }));
    } else {
      const status = r.pick(['completed', 'completed', 'interrupted', 'failed'] as const);
      const error = status === 'failed' ? { message: 'boom', codexErrorInfo: 'internalServerError' as const, additionalDetails: null } : null;
      apply(eventAt(scenario, threadId, { type: 'turn/completed', turnId, status, error }));
    }
  }
  // Every turn ends (a turn left running would be closed by recovery, which no client sees live).
  for (const threadId of live) {
    const runtime = (await registry.load(threadId));
    const active = runtime.state.activeTurnId;
    if (active !== null) runtime.apply([eventAt(scenario, threadId, { type: 'turn/completed', turnId: active, status: 'completed', error: null })]);
  }
}

describe('replay equals live', () => {
  // Odd seeds checkpoint every few events, so loads start from checkpoints; even seeds replay whole logs.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: the folded live stream equals what the store replays after a restart`, async () => {
      const checkpointEvery = seed % 2 === 1 ? 7 : undefined;
      const scenario = await openScenario(seed, checkpointEvery);
      await generate(scenario, seed);
      await scenario.keel.close();

      const folded = scenario.received.reduce(foldNotification, emptyClientState);
      const { keel: restarted } = await openTestKeel({ dbPath: scenario.dbPath, checkpointEvery }, scenario.home);
      try {
        const query = { sortColumn: 'created_at', direction: 'desc', limit: 1000, cursor: null, cwds: null, searchTerm: null, modelProviders: null, maxBytes: Infinity } as const;
        const stored = await restarted.queries.list({ ...query, archived: false });
        const archived = await restarted.queries.list({ ...query, archived: true });
        const storedIds = [...stored.data, ...archived.data].map((t) => t.id).sort();
        expect(storedIds).toEqual(Object.keys(folded.threads).sort());
        const listed = new Map([...stored.data, ...archived.data].map((thread) => [thread.id, thread]));
        for (const [threadId, state] of Object.entries(folded.threads)) {
          const replayed = (await restarted.registry.read(threadId));
          const status = { type: 'notLoaded' as const };
          expect(threadSnapshot(summaryOf(replayed), { status, turns: allTurns(replayed) })).toEqual(threadSnapshot(summaryOf(state), { status, turns: allTurns(state) }));
          // The summary row the store folded from the events is what the replayed state summarises to.
          expect(listed.get(threadId)).toEqual(threadSnapshot(summaryOf(replayed), { status, turns: [] }));
        }
        expect(Object.keys(folded.threads).length).toBeGreaterThan(0);
      } finally {
        await restarted.close();
        scenario.cleanup();
      }
    });
  }
});
