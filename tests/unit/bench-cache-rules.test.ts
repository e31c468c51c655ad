// The prompt-cache rules the session-cost bench's fake endpoints apply (bench/session-cost/cache-rules.mjs):
// OpenAI's automatic prefix cache (1,024-token minimum, 128-token steps, routing by prompt_cache_key
// and the first 256 tokens, 5 minutes) and Anthropic's breakpoints (no breakpoint no cache, 20-block
// lookback, 1,024-token minimum, 5 minutes refreshed on a hit), each on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { anthropicBlocks, anthropicCache, canonical, openAiCache, TooManyBreakpoints, type AnthropicBlock } from '../../bench/session-cost/cache-rules.mjs';

/** A segment of exactly `tokens` tokens (4 bytes each) whose text starts with `name`. */
const seg = (name: string, tokens: number) => name.padEnd(tokens * 4, '.');
const block = (name: string, tokens: number, breakpoint: AnthropicBlock['breakpoint'] = null): AnthropicBlock => ({ segment: seg(name, tokens), breakpoint, thinking: false });
const clock = () => {
  const c = { ms: 0, now: () => c.ms };
  return c;
};

describe('OpenAI prefix cache', () => {
  it('caches the shared prefix in 128-token steps from 1,024 tokens on', () => {
    const c = clock();
    const cache = openAiCache(c.now);
    const prefix = [seg('instructions', 1000), seg('tool', 1000)];
    expect(cache.request(prefix, 'thread-1')).toMatchObject({ inputTokens: 2000, cachedTokens: 0 });
    c.ms += 6_000;
    expect(cache.request([...prefix, seg('output', 300)], 'thread-1')).toMatchObject({ inputTokens: 2300, cachedTokens: 1920, cacheWriteTokens: 0 });
  });

  it('caches nothing for a prompt under 1,024 tokens', () => {
    const c = clock();
    const cache = openAiCache(c.now);
    cache.request([seg('short', 1000)], 'k');
    c.ms += 6_000;
    expect(cache.request([seg('short', 1000)], 'k').cachedTokens).toBe(0);
  });

  it('a changed byte ends the hit where it is: early, nothing is cached', () => {
    const c = clock();
    const cache = openAiCache(c.now);
    const prompt = [seg('instructions', 3000), seg('input', 500)];
    cache.request(prompt, 'k');
    const changedAt = (byte: number) => [prompt[0]!.slice(0, byte) + '#' + prompt[0]!.slice(byte + 1), prompt[1]!];
    c.ms += 6_000;
    expect(cache.request(changedAt(40), 'k').cachedTokens).toBe(0);
    c.ms += 6_000;
    expect(cache.request(changedAt(4 * 1100), 'k').cachedTokens).toBe(1024);
  });

  it('routes by prompt_cache_key: keyless requests above ~15 a minute (shared with the client\'s other sessions) land on other machines', () => {
    const run = (key: string | null) => {
      const c = clock();
      const cache = openAiCache(c.now);
      const prompt = [seg('instructions', 2048)];
      return [1, 2, 3, 4].map(() => {
        c.ms += 6_000;
        return cache.request(prompt, key);
      });
    };
    const keyless = run(null);
    expect(keyless.map((u) => u.cachedTokens)).toEqual([0, 2048, 2048, 0]);
    expect(keyless[3]!.machine).not.toBe(keyless[0]!.machine);
    expect(run('thread-1').map((u) => u.cachedTokens)).toEqual([0, 2048, 2048, 2048]);
  });

  it('forgets a prefix 5 minutes after its last use', () => {
    const c = clock();
    const cache = openAiCache(c.now);
    const prompt = [seg('instructions', 2048)];
    cache.request(prompt, 'k');
    c.ms += 4 * 60_000;
    expect(cache.request(prompt, 'k').cachedTokens).toBe(2048);
    c.ms += 4 * 60_000; // 8 minutes after the write, 4 after the hit that refreshed it
    expect(cache.request(prompt, 'k').cachedTokens).toBe(2048);
    c.ms += 5 * 60_000 + 1;
    expect(cache.request(prompt, 'k').cachedTokens).toBe(0);
  });
});

describe('Anthropic breakpoints', () => {
  it('renders tools, system, then messages, one block each, cache_control not part of the prefix; top-level cache_control marks the last block that is not thinking', () => {
    const body = {
      cache_control: { type: 'ephemeral' },
      tools: [{ name: 'bash', type: 'bash_20250124', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      system: 'You are Keel.',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }, { type: 'thinking', thinking: 't', signature: 's' }] },
      ],
    };
    expect(anthropicBlocks(body)).toEqual([
      { segment: canonical({ in: 'tools', name: 'bash', type: 'bash_20250124' }), breakpoint: '1h', thinking: false },
      { segment: canonical({ in: 'system', type: 'text', text: 'You are Keel.' }), breakpoint: null, thinking: false },
      { segment: canonical({ role: 'user', type: 'text', text: 'hi' }), breakpoint: null, thinking: false },
      { segment: canonical({ role: 'assistant', type: 'text', text: 'hello' }), breakpoint: '5m', thinking: false },
      { segment: canonical({ role: 'assistant', type: 'thinking', thinking: 't', signature: 's' }), breakpoint: null, thinking: true },
    ]);
  });

  it('without a breakpoint nothing is read or written', () => {
    const c = clock();
    const cache = anthropicCache(c.now);
    const blocks = [block('tools', 3000), block('system', 2000), block('user', 500)];
    cache.request(blocks);
    c.ms += 6_000;
    expect(cache.request(blocks)).toEqual({ inputTokens: 5500, cacheReadTokens: 0, cacheCreationTokens: 0, cacheCreation: { '5m': 0, '1h': 0 }, promptTokens: 5500 });
  });

  it('writes up to each breakpoint, then reads the longest written prefix and writes the rest', () => {
    const c = clock();
    const cache = anthropicCache(c.now);
    const first = [block('tools', 3000), block('system', 2000, '5m'), block('user', 500, '5m')];
    expect(cache.request(first)).toEqual({ inputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 5500, cacheCreation: { '5m': 5500, '1h': 0 }, promptTokens: 5500 });
    c.ms += 6_000;
    const second = [block('tools', 3000), block('system', 2000, '5m'), block('user', 500), block('tool_use', 50), block('tool_result', 800, '5m'), block('tail', 10)];
    expect(cache.request(second)).toEqual({ inputTokens: 10, cacheReadTokens: 5500, cacheCreationTokens: 850, cacheCreation: { '5m': 850, '1h': 0 }, promptTokens: 6360 });
  });

  it('looks back 20 blocks from a breakpoint: an entry 19 blocks back is read, one 20 back is not', () => {
    const run = (extra: number) => {
      const c = clock();
      const cache = anthropicCache(c.now);
      const head = [block('system', 2000, '5m')];
      cache.request(head);
      c.ms += 6_000;
      const tail = Array.from({ length: extra }, (_, i) => block(`m${i}`, 10, i === extra - 1 ? '5m' : null));
      return cache.request([block('system', 2000), ...tail]).cacheReadTokens;
    };
    expect(run(19)).toBe(2000); // breakpoint at block 19, entry at block 0: 20 blocks, 19 and itself
    expect(run(20)).toBe(0);
  });

  it('writes nothing for a prefix under 1,024 tokens', () => {
    const c = clock();
    const cache = anthropicCache(c.now);
    expect(cache.request([block('system', 1000, '5m'), block('user', 10)]).cacheCreationTokens).toBe(0);
    c.ms += 6_000;
    expect(cache.request([block('system', 1000, '5m'), block('user', 10)]).cacheReadTokens).toBe(0);
  });

  it('an entry lives 5 minutes, refreshed by each hit', () => {
    const c = clock();
    const cache = anthropicCache(c.now);
    const blocks = [block('system', 2000, '5m')];
    cache.request(blocks);
    c.ms += 4 * 60_000;
    expect(cache.request(blocks).cacheReadTokens).toBe(2000);
    c.ms += 4 * 60_000;
    expect(cache.request(blocks).cacheReadTokens).toBe(2000);
    c.ms += 5 * 60_000 + 1;
    expect(cache.request(blocks)).toMatchObject({ cacheReadTokens: 0, cacheCreationTokens: 2000 });
  });

  it('refuses more than 4 breakpoints', () => {
    const cache = anthropicCache(() => 0);
    expect(() => cache.request(Array.from({ length: 5 }, (_, i) => block(`b${i}`, 300, '5m')))).toThrow(TooManyBreakpoints);
  });
});
