// Context accounting for automatic compaction (compaction.ts contextTokens): the provider's last
// report of a context call (input + output) plus four characters a token of what was added since;
// the whole conversation estimated when nothing was reported, after a compaction, or when the
// reported turn is gone.
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce.js';
import type { KeelEvent } from '../../src/core/events.js';
import { contextTokens, estimateTokens } from '../../src/engine/turns/compaction.js';
import type { ConversationItem } from '../../src/providers/types.js';
import { agentMessage, created, ev, userMessage } from '../core/fixtures.js';

const route = { provider: 'openai', model: 'gpt-5' };
const tokens = (input: number, output: number) => ({ inputTokens: input, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output });
const conversation: ConversationItem[] = [{ type: 'user', content: [{ type: 'text', text: 'x'.repeat(4000) }] }];
const whole = estimateTokens(conversation);

const turn1: KeelEvent[] = [
  created(),
  ev('turn/started', 1100, { turnId: 'u1', model: 'gpt-5' }),
  ev('item/started', 1101, { turnId: 'u1', itemId: 'm1', item: userMessage('m1', 'hi') }),
  ev('item/completed', 1102, { turnId: 'u1', itemId: 'a1', item: agentMessage('a1', 'Hello.') }),
  ev('turn/tokenUsage', 1103, { turnId: 'u1', last: tokens(5000, 40), modelContextWindow: 400_000, route }),
];
const added = ev('item/completed', 1104, { turnId: 'u1', itemId: 'a2', item: agentMessage('a2', 'y'.repeat(400)) });
const addedTokens = Math.ceil(JSON.stringify(agentMessage('a2', 'y'.repeat(400))).length / 4);
// A tool item counts as its call and what the model was given back, not its whole item.
const tool = [
  ev('item/started', 1105, { turnId: 'u1', itemId: 'c1', item: { type: 'dynamicToolCall', id: 'c1', tool: 't', arguments: {}, status: 'inProgress', contentItems: null, success: null, durationMs: null } as never, call: { callId: 'call_1', name: 't', arguments: '{"q":1}', family: 'openai' } }),
  ev('item/completed', 1106, { turnId: 'u1', itemId: 'c1', item: { type: 'dynamicToolCall', id: 'c1', tool: 't', arguments: {}, status: 'completed', contentItems: null, success: true, durationMs: 1 } as never, modelOutput: 'z'.repeat(800) }),
];

describe('contextTokens', () => {
  const cases: Array<[string, KeelEvent[], number]> = [
    ['nothing reported: the whole conversation, estimated', turn1.slice(0, 4), whole],
    ['just reported: input + output', turn1, 5040],
    ['an item added since: plus its estimate', [...turn1, added], 5040 + addedTokens],
    ['a tool item added since: plus its call and output', [...turn1, ...tool], 5040 + Math.ceil((800 + 7) / 4)],
    ['a later turn\'s items count too', [...turn1, ev('turn/started', 1200, { turnId: 'u2', model: 'gpt-5' }), ev('item/started', 1201, { turnId: 'u2', itemId: 'm2', item: userMessage('m2', 'more') })], 5040 + Math.ceil(JSON.stringify(userMessage('m2', 'more')).length / 4)],
    ['a compaction since: the whole conversation', [...turn1, ev('item/completed', 1104, { turnId: 'u1', itemId: 'k1', item: { type: 'contextCompaction', id: 'k1' }, modelOutput: 'summary' })], whole],
    ['the reported turn reverted: the whole conversation', [...turn1, ev('turn/completed', 1150, { turnId: 'u1', status: 'completed', error: null }), ev('thread/reverted', 1160, { beforeTurnId: 'u1' })], whole],
  ];
  for (const [name, events, expected] of cases) it(name, () => expect(contextTokens(replay(events)!, conversation)).toBe(expected));
});
