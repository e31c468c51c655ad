// Each provider's documented prompt-cache rules, as the fake model servers of bench/session-cost.mjs
// apply them. Pure: prompts in, usage out; the clock is passed in (`now()` in ms), so tests can
// move it. Sources (read 2026-12-06):
//   OpenAI   https://developers.openai.com/docs/guides/prompt-caching
//            https://raw.githubusercontent.com/openai/openai-cookbook/main/examples/Prompt_Caching_201.ipynb
//   Anthropic https://platform.claude.com/docs/en/build-with-claude/prompt-caching
//
// Tokens are counted, not tokenized: a prompt is rendered as segments (one per instruction text,
// tool, input item or content block, in request order), each the canonical JSON of that part
// (object keys sorted, so a client's key order does not count); a segment of n bytes is
// ceil(n / 4) tokens. Two prompts share a prefix of every whole segment they have in common, then
// floor(equal bytes / 4) tokens of the first segment that differs. Every item and block sent counts:
// reasoning items and thinking blocks of earlier turns, which the providers may leave out of the
// model's context, are counted as sent (not modelled).
import crypto from 'node:crypto';

export const BYTES_PER_TOKEN = 4;

/** JSON with object keys sorted at every level. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const tokensOf = (segment) => Math.ceil(Buffer.byteLength(segment) / BYTES_PER_TOKEN);
export const promptTokens = (segments) => segments.reduce((n, s) => n + tokensOf(s), 0);

/** Tokens two rendered prompts have in common from their start. */
export function commonPrefixTokens(a, b) {
  let tokens = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) {
      tokens += tokensOf(a[i]);
      continue;
    }
    const x = Buffer.from(a[i]);
    const y = Buffer.from(b[i]);
    let same = 0;
    while (same < x.length && same < y.length && x[same] === y[same]) same++;
    return tokens + Math.floor(same / BYTES_PER_TOKEN);
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// OpenAI (Responses, Chat Completions): automatic prefix caching.
//  - "Caching is enabled automatically for prompts that are 1024 tokens or longer"; "cache hits
//    occurring in increments of 128 tokens" (the cookbook): cached = the longest prefix shared with
//    a cached prompt, rounded down to a multiple of 128, and 0 below 1,024.
//  - Cache routing: "Requests are routed to a machine based on a hash of the initial prefix of the
//    prompt. The hash typically uses the first 256 tokens"; a `prompt_cache_key` joins that hash,
//    and requests of one prefix-and-key combination beyond about 15 a minute may overflow to other
//    machines, where the prefix is not cached (the guide's routing step; the 15 a minute also in
//    https://community.openai.com/t/understanding-prompt-cache-keys-in-query-efficiency/1357382/2).
//    Modelled so: a route is (prompt_cache_key, hash of the first 256 tokens); a route serving R
//    requests a minute spreads them over ceil(R / 15) machines, each request on the next machine in
//    turn, and each machine has a cache of its own. A route without a key is shared by every
//    session of the same client whose prompts begin alike (the same instructions and tools): the
//    bench assumes `keylessSharers` such sessions (this one and 3 more) at this session's pace, so
//    a keyless session at 10 calls a minute is on a route of 40 a minute, spread over 3 machines.
//    With a key the route is this session's alone (10 a minute: one machine).
//  - Cached prefixes stay 5 to 10 minutes after their last use (the guide; also
//    https://learn.microsoft.com/en-us/azure/ai-foundry/openai/how-to/prompt-caching): 5 minutes
//    here, the lower bound, counted from the prefix's last use.
//  - Before the GPT-5.6 family cache writes cost nothing extra: no write tokens are reported.
// ---------------------------------------------------------------------------------------------
export const OPENAI = {
  minimumTokens: 1024,
  step: 128,
  routingPrefixTokens: 256,
  overflowRpm: 15,
  keylessSharers: 4,
  ttlMs: 5 * 60_000,
};

/** The simulated fleet behind one OpenAI endpoint. `now()`: the clock, in ms. */
export function openAiCache(now, rules = OPENAI) {
  const routes = new Map(); // route → { times: number[], served: number }
  const machines = new Map(); // machine → [{ segments, tokens, expiresAt }]

  function routeOf(segments, cacheKey) {
    const head = Buffer.from(segments.join('')).subarray(0, rules.routingPrefixTokens * BYTES_PER_TOKEN);
    return `${cacheKey ?? ''}|${crypto.createHash('sha256').update(head).digest('hex').slice(0, 16)}`;
  }

  return {
    /** Usage of one request (`segments`: the rendered prompt) and its effect on the caches. */
    request(segments, cacheKey = null) {
      const at = now();
      const route = routeOf(segments, cacheKey);
      const state = routes.get(route) ?? { times: [], served: 0 };
      routes.set(route, state);
      state.times = [...state.times.filter((t) => t > at - 60_000), at];
      const rpm = state.times.length * (cacheKey ? 1 : rules.keylessSharers);
      const count = Math.max(1, Math.ceil(rpm / rules.overflowRpm));
      const machine = `${route}#${state.served++ % count}`;
      const entries = (machines.get(machine) ?? []).filter((e) => e.expiresAt > at);
      const total = promptTokens(segments);
      let best = null;
      let shared = 0;
      for (const entry of entries) {
        const common = commonPrefixTokens(entry.segments, segments);
        if (common > shared) [best, shared] = [entry, common];
      }
      const cached = total >= rules.minimumTokens && shared >= rules.minimumTokens ? Math.floor(Math.min(shared, total) / rules.step) * rules.step : 0;
      if (best !== null && cached > 0) best.expiresAt = at + rules.ttlMs;
      if (total >= rules.minimumTokens) entries.push({ segments, tokens: total, expiresAt: at + rules.ttlMs });
      machines.set(machine, entries);
      return { inputTokens: total, cachedTokens: cached, cacheWriteTokens: 0, machine };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Anthropic (Messages): explicit breakpoints.
//  - "Prompt caching references the entire prompt - tools, system, and messages (in that order)
//    up to and including the block designated with cache_control."
//  - Nothing is cached without a breakpoint: a block's `cache_control`, or the request's top-level
//    `cache_control` (automatic caching), which "applies the cache breakpoint to the last
//    cacheable block". At most 4 breakpoints a request (more is a 400).
//  - From each breakpoint the lookup walks back through at most 20 blocks for a prefix an earlier
//    request wrote (the guide's 20-block lookback: with 30 blocks and a breakpoint on the 30th,
//    blocks 30 down to 11 are checked): a breakpoint at block b reads the longest prefix ending
//    at one of blocks b, b-1, … b-19 that is cached. Entries are written at breakpoints only.
//  - Minimum cacheable prompt length 1,024 tokens for Claude Sonnet 4.5 (the guide's table; also
//    https://docs.litellm.ai/docs/completion/prompt_caching): a shorter prefix writes nothing.
//  - The cache lives 5 minutes by default and is refreshed at no cost each time it is used;
//    `ttl: "1h"` for an hour.
//  - Usage: `cache_read_input_tokens` (billed 0.1× base input), `cache_creation_input_tokens`
//    (1.25× for 5-minute writes, 2× for 1-hour ones), `input_tokens` = the tokens after the last
//    breakpoint.
// ---------------------------------------------------------------------------------------------
export const ANTHROPIC = {
  minimumTokens: 1024,
  lookbackBlocks: 20,
  maxBreakpoints: 4,
  ttlMs: { '5m': 5 * 60_000, '1h': 60 * 60_000 },
};

/**
 * A Messages request rendered as blocks, in the cache's order (tools → system → messages), each
 * `{ segment, breakpoint: '5m' | '1h' | null, thinking }`; the segment leaves `cache_control` out.
 */
export function anthropicBlocks(body) {
  const blocks = [];
  const add = (part, extra = {}) => {
    const { cache_control: control, ...rest } = part;
    blocks.push({ segment: canonical({ ...extra, ...rest }), breakpoint: control ? (control.ttl === '1h' ? '1h' : '5m') : null, thinking: part.type === 'thinking' || part.type === 'redacted_thinking' });
  };
  for (const tool of body.tools ?? []) add(tool, { in: 'tools' });
  if (typeof body.system === 'string') add({ type: 'text', text: body.system }, { in: 'system' });
  else for (const block of body.system ?? []) add(block, { in: 'system' });
  for (const message of body.messages ?? []) {
    if (typeof message.content === 'string') add({ type: 'text', text: message.content }, { role: message.role });
    else for (const block of message.content) add(block, { role: message.role });
  }
  if (body.cache_control) {
    const last = blocks.findLastIndex((b) => !b.thinking);
    if (last >= 0 && blocks[last].breakpoint === null) blocks[last].breakpoint = body.cache_control.ttl === '1h' ? '1h' : '5m';
  }
  return blocks;
}

export class TooManyBreakpoints extends Error {}

/** The prompt cache of one Anthropic organisation. `now()`: the clock, in ms. */
export function anthropicCache(now, rules = ANTHROPIC) {
  const entries = new Map(); // prefix hash → { expiresAt }
  return {
    /** Usage of one request (its blocks, from `anthropicBlocks`) and its effect on the cache. */
    request(blocks) {
      const at = now();
      const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
      if (breakpoints.length > rules.maxBreakpoints) throw new TooManyBreakpoints(`A maximum of ${rules.maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints.length}.`);
      const hashes = [];
      const upTo = []; // tokens of blocks 0..i
      let hash = '';
      let sum = 0;
      for (const block of blocks) {
        hash = crypto.createHash('sha256').update(hash).update(block.segment).digest('hex');
        sum += tokensOf(block.segment);
        hashes.push(hash);
        upTo.push(sum);
      }
      const live = (i) => (entries.get(hashes[i])?.expiresAt ?? -Infinity) > at;
      let hit = -1;
      for (const b of breakpoints) {
        for (let i = b; i >= Math.max(0, b - rules.lookbackBlocks + 1) && i > hit; i--) {
          if (live(i)) {
            hit = i;
            break;
          }
        }
      }
      const read = hit >= 0 ? upTo[hit] : 0;
      if (hit >= 0) entries.get(hashes[hit]).expiresAt = at + rules.ttlMs[entries.get(hashes[hit]).ttl];
      const written = { '5m': 0, '1h': 0 };
      let from = read;
      for (const b of breakpoints) {
        if (b <= hit || upTo[b] < rules.minimumTokens) continue;
        const ttl = blocks[b].breakpoint;
        written[ttl] += upTo[b] - from;
        from = upTo[b];
        entries.set(hashes[b], { ttl, expiresAt: at + rules.ttlMs[ttl] });
      }
      const creation = written['5m'] + written['1h'];
      return { inputTokens: sum - read - creation, cacheReadTokens: read, cacheCreationTokens: creation, cacheCreation: written, promptTokens: sum };
    },
  };
}
