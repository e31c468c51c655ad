// A huge tool result reaches the model capped (head and tail, the cut said so); the item keeps it whole.
import { describe, expect, it } from 'vitest';
import type { ItemState } from '../../src/core/state.js';
import { HISTORY_RESULT_MAX_TOKENS, replayToolItem } from '../../src/tools/replay.js';

describe('tool results in the history the model is sent', () => {
  it('are capped to HISTORY_RESULT_MAX_TOKENS, head and tail kept, while the item is untouched', async () => {
    const output = `BEGIN ${'x'.repeat(200_000)} END`;
    const entry: ItemState = {
      item: { type: 'dynamicToolCall', id: 'c1', tool: 'dump', arguments: {}, status: 'completed', contentItems: [{ type: 'inputText', text: output }], success: true, durationMs: 1 },
      startedAtMs: 1,
      completedAtMs: 2,
      modelOutput: output,
    };
    const replayed = await replayToolItem(entry, 'openai', async () => ({ type: 'user', content: [] }));
    if (replayed?.kind !== 'call' || replayed.result.type !== 'toolResult') throw new Error('expected a call');
    const sent = replayed.result.output;
    expect(sent.length).toBeLessThan(HISTORY_RESULT_MAX_TOKENS * 4 + 200);
    expect(sent).toMatch(/^Total output lines: 1\n\nBEGIN x+…\d+ tokens truncated…x+ END$/);
    expect(entry.modelOutput).toBe(output);
  });
});
