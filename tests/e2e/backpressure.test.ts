// Output backpressure over stdio: a client that stops reading stops Keel from producing (the turn
// pauses at a bounded buffer instead of growing memory by tens of MB a second); when it reads again
// everything arrives, nothing dropped; a client that never comes back is treated as gone.
import { describe, expect, it } from 'vitest';
import { OUTPUT_HIGH_WATER_BYTES } from '../../src/transport/output-writer.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { storedEvents, withDatabase } from '../helpers/threads.js';
import { params, turnHome } from '../helpers/turns.js';
import path from 'node:path';

const DELTA = 'x'.repeat(200);

async function turnStreaming(count: number, keelLines: string[] = []) {
  const { home, env } = turnHome({ script: [[{ repeatText: { text: DELTA, count } }]], keel: keelLines });
  const keel = spawnKeel({ home, env });
  await initialized(keel);
  const { thread } = await keel.request('thread/start', {});
  return { keel, home, threadId: thread.id };
}

const logged = (line: string) => JSON.parse(line) as Record<string, any>;

describe('a client that stops reading', () => {
  it('pauses the turn at a bounded buffer; when it reads again every delta arrives, none dropped', async () => {
    const count = 40_000; // ≈ 12 MB of notifications, past the 8 MiB mark
    const { keel, threadId } = await turnStreaming(count);
    keel.pauseOutput();
    keel.sendLine(JSON.stringify({ id: 'go', method: 'turn/start', params: { threadId, input: [{ type: 'text', text: 'stream' }] } }));
    const paused = logged(await keel.waitForStderr(/not reading; pausing/));
    expect(paused.bufferedBytes).toBeGreaterThan(OUTPUT_HIGH_WATER_BYTES);
    expect(paused.bufferedBytes).toBeLessThan(OUTPUT_HIGH_WATER_BYTES * 2);
    keel.resumeOutput();
    const completed = await keel.waitFor('turn/completed', 60_000);
    expect(params(completed).turn.status).toBe('completed');
    const deltas = keel.messages.filter((m) => m.method === 'item/agentMessage/delta').map((m) => params(m).delta as string);
    expect(deltas.length).toBe(count);
    expect(deltas.every((d) => d === DELTA)).toBe(true);
    expect(params(completed).turn.items[0].text.length).toBe(count * DELTA.length);
    await keel.waitForStderr(/caught up; resuming/);
    expect(await keel.close()).toBe(0);
  }, 60_000);

  it('never coming back: memory stays bounded, and after the stall timeout the client is gone — the turn ends interrupted and Keel exits 0', async () => {
    const { keel, home, threadId } = await turnStreaming(400_000, ['client_stall_timeout_ms = 1500']); // ≈ 120 MB if nothing held it back
    keel.pauseOutput();
    keel.sendLine(JSON.stringify({ id: 'go', method: 'turn/start', params: { threadId, input: [{ type: 'text', text: 'stream' }] } }));
    await keel.waitForStderr(/not reading; pausing/);
    const gone = logged(await keel.waitForStderr(/treating it as gone/, 15_000));
    expect(gone.timeoutMs).toBe(1500);
    expect(gone.bufferedBytes).toBeLessThan(OUTPUT_HIGH_WATER_BYTES * 2);
    expect(gone.rssBytes).toBeLessThan(400 * 1024 * 1024);
    keel.abandonOutput();
    expect((await keel.exited).code).toBe(0);
    const ends = withDatabase(path.join(home, 'keel.db'), (db) => storedEvents(db, threadId).filter((e) => e.type === 'turn/completed'));
    expect(ends.map((e) => JSON.parse(e.body).status)).toEqual(['interrupted']);
  });
});
