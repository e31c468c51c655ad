// Shutdown with a turn running: EOF and SIGTERM both end it `interrupted` (recorded before exit,
// not left for recovery), the client hears turn/completed, and the process exits 0.
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { keelWithThread } from '../helpers/turns.js';

describe('shutdown during a turn', () => {
  for (const how of ['EOF', 'SIGTERM'] as const) {
    it(`${how}: the running turn ends interrupted and is stored so`, async () => {
      const { keel, threadId } = await keelWithThread({ script: [[{ text: 'working' }, { stall: true }]] });
      const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
      await keel.waitFor('item/agentMessage/delta');
      if (how === 'EOF') expect(await keel.close()).toBe(0);
      else {
        keel.kill('SIGTERM');
        expect(await keel.exited).toEqual({ code: 0, signal: null });
      }
      const completed = keel.messages.find((m) => m.method === 'turn/completed');
      expect((completed?.params as { turn: { id: string; status: string } }).turn).toMatchObject({ id: turn.id, status: 'interrupted', error: null });

      const again = spawnKeel({ home: keel.home });
      await initialized(again);
      const { thread } = await again.request('thread/read', { threadId, includeTurns: true });
      expect(thread.turns.map((t) => [t.status, t.error])).toEqual([['interrupted', null]]);
      expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'working']);
      await again.close();
    });
  }
});
