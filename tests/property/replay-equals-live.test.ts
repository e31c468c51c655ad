// Property: for generated histories (turns, items, deltas, errors, interrupts, failures, renames,
// archives, reverts, forks, deletes), folding the live notifications client-side with the core
// reducer gives exactly what thread/read returns after the store is reopened ("restart").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldNotification } from '../../src/core/fold.js';
import { allTurns, threadSnapshot } from '../../src/core/snapshot.js';
import { emptyKeelState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';
import { startThreads } from '../../src/server/handlers/threads/index.js';
import { threadOptions } from '../helpers/thread-options.js';
import { eventAt, openScenario, rng, type Scenario } from './thread-scenario.js';

const STEPS = 120;

async function generate(scenario: Scenario, seed: number): Promise<void> {
  const r = rng(seed);
  const { handlers, registry } = { handlers: scenario.subsystem.handlers, registry: scenario.subsystem.services.registry };
  const live: string[] = [];
  const start = async () => live.push((await handlers['thread/start']({}, scenario.ctx)).thread.id);
  await start();
  let seq = 0;
  const itemId = () => `item-${++seq}`;
  for (let step = 0; step < STEPS; step++) {
    if (live.length === 0) await start();
    const threadId = r.pick(live);
    const runtime = registry.load(threadId);
    const apply = (...events: ReturnType<typeof eventAt>[]) => runtime.apply(events);
    const active = runtime.state.activeTurnId;
    if (active === null) {
      const choice = r.int(10);
      if (choice < 5) {
        const turnId = `turn-${++seq}`;
        const id = itemId();
        const user = { type: 'userMessage' as const, id, content: [{ type: 'text' as const, text: `ask ${seq}`, text_elements: [] }] };
        apply(eventAt(scenario, 'turn/started', threadId, { turnId, model: 'm' }));
        apply(eventAt(scenario, 'item/started', threadId, { turnId, itemId: id, item: user }), eventAt(scenario, 'item/completed', threadId, { turnId, itemId: id, item: user }));
      } else if (choice === 5) {
        await handlers['thread/name/set']({ threadId, name: `name ${seq++}` }, scenario.ctx);
      } else if (choice === 6) {
        const archived = runtime.state.archived;
        await handlers[archived ? 'thread/unarchive' : 'thread/archive']({ threadId }, scenario.ctx);
      } else if (choice === 7 && runtime.state.turns.length > 0) {
        const turns = allTurns(runtime.state);
        await handlers['thread/revert']({ threadId, beforeTurnId: r.pick(turns).id }, scenario.ctx);
      } else if (choice === 8) {
        const turns = allTurns(runtime.state);
        const lastTurnId = turns.length > 0 && r.next() < 0.5 ? r.pick(turns).id : null;
        live.push((await handlers['thread/fork']({ threadId, lastTurnId }, scenario.ctx)).thread.id);
      } else if (choice === 9 && live.length > 1 && r.next() < 0.3) {
        await handlers['thread/delete']({ threadId }, scenario.ctx);
        live.splice(live.indexOf(threadId), 1);
      }
      continue;
    }
    const turnId = active;
    const choice = r.int(8);
    if (choice === 0) {
      const id = itemId();
      apply(eventAt(scenario, 'item/started', threadId, { turnId, itemId: id, item: { type: 'agentMessage', id, text: '', phase: null, memoryCitation: null } }));
      let text = '';
      for (let i = r.int(12); i > 0; i--) {
        const delta = `w${r.int(100)} `;
        text += delta;
        apply(eventAt(scenario, 'item/delta', threadId, { turnId, itemId: id, channel: 'agentMessage', index: 0, delta }));
      }
      if (r.next() < 0.8) {
        apply(eventAt(scenario, 'item/completed', threadId, { turnId, itemId: id, item: { type: 'agentMessage', id, text, phase: null, memoryCitation: null } }));
      }
    } else if (choice === 1) {
      const id = itemId();
      apply(eventAt(scenario, 'item/started', threadId, { turnId, itemId: id, item: { type: 'reasoning', id, summary: [], content: [] } }));
      for (let part = 0; part < 1 + r.int(3); part++) {
        apply(eventAt(scenario, 'item/summaryPartAdded', threadId, { turnId, itemId: id, index: part }));
        for (let i = r.int(4); i > 0; i--) apply(eventAt(scenario, 'item/delta', threadId, { turnId, itemId: id, channel: 'reasoningSummary', index: part, delta: `s${i}` }));
        if (r.next() < 0.5) apply(eventAt(scenario, 'item/delta', threadId, { turnId, itemId: id, channel: 'reasoningText', index: part, delta: `raw${part}` }));
      }
    } else if (choice === 2) {
      const id = itemId();
      const command = { type: 'commandExecution' as const, id, command: 'ls', cwd: '/w', processId: null, source: 'agent' as const, status: 'inProgress' as const, commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
      apply(eventAt(scenario, 'item/started', threadId, { turnId, itemId: id, item: command }));
      for (let i = r.int(5); i > 0; i--) apply(eventAt(scenario, 'item/delta', threadId, { turnId, itemId: id, channel: 'commandOutput', index: 0, delta: `line ${i}\n` }));
      apply(eventAt(scenario, 'item/completed', threadId, { turnId, itemId: id, item: { ...command, status: 'completed', aggregatedOutput: 'final\n', exitCode: 0, durationMs: 5 } }));
    } else if (choice === 3) {
      const breakdown = { totalTokens: 10 + seq, inputTokens: 7, cachedInputTokens: 1, outputTokens: 3 + seq, reasoningOutputTokens: 0 };
      apply(eventAt(scenario, 'turn/tokenUsage', threadId, { turnId, usage: { total: breakdown, last: breakdown, modelContextWindow: 1000 } }));
    } else if (choice === 4) {
      apply(eventAt(scenario, 'turn/error', threadId, { turnId, willRetry: true, error: { message: 'retrying', codexErrorInfo: 'serverOverloaded', additionalDetails: null } }));
    } else {
      const status = r.pick(['completed', 'completed', 'interrupted', 'failed'] as const);
      const error = status === 'failed' ? { message: 'boom', codexErrorInfo: 'internalServerError' as const, additionalDetails: null } : null;
      apply(eventAt(scenario, 'turn/completed', threadId, { turnId, status, error }));
    }
  }
  // Every turn ends (a turn left running would be closed by recovery, which no client sees live).
  for (const threadId of live) {
    const runtime = registry.load(threadId);
    const active = runtime.state.activeTurnId;
    if (active !== null) runtime.apply([eventAt(scenario, 'turn/completed', threadId, { turnId: active, status: 'completed', error: null })]);
  }
}

describe('replay equals live', () => {
  // Odd seeds checkpoint every few events, so loads start from checkpoints; even seeds replay whole logs.
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: the folded live stream equals thread/read after a restart`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-prop-'));
      const dbPath = path.join(dir, 'keel.db');
      const scenario = await openScenario(dbPath, seed, seed % 2 === 1 ? 7 : undefined);
      await generate(scenario, seed);
      await scenario.subsystem.close();

      const folded = scenario.received.reduce(foldNotification, emptyKeelState);
      const restarted = await startThreads(threadOptions(dbPath, { checkpointEvery: seed % 2 === 1 ? 7 : undefined }));
      try {
        const stored = await restarted.handlers['thread/list']({ limit: 1000 }, scenario.ctx);
        const archived = await restarted.handlers['thread/list']({ limit: 1000, archived: true }, scenario.ctx);
        const storedIds = [...stored.data, ...archived.data].map((t) => t.id).sort();
        expect(storedIds).toEqual(Object.keys(folded.threads).sort());
        for (const [threadId, state] of Object.entries(folded.threads)) {
          const { thread } = await restarted.handlers['thread/read']({ threadId, includeTurns: true, maxBytes: 1 << 30 }, scenario.ctx);
          const fromLive = threadSnapshot(summaryOf(state), { status: thread.status, turns: allTurns(state) });
          expect(thread).toEqual(fromLive);
        }
        expect(Object.keys(folded.threads).length).toBeGreaterThan(0);
      } finally {
        await restarted.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
