// Prompt-cache breakpoints for a Messages request. Anthropic caches nothing unless asked: each
// `cache_control` marks the end of a prefix (tools → system → messages, in that order) to write to
// the cache, and a later request reads it back when its own prefix up to a breakpoint matches.
//
// The rules this follows, from Anthropic's prompt-caching guide
// (https://platform.claude.com/docs/en/build-with-claude/prompt-caching, as of 2026-12) and the
// SDK's types (@anthropic-ai/sdk 1.12 `CacheControlEphemeral`):
// - At most 4 breakpoints per request.
// - A read is looked for at the breakpoint and at the block boundaries up to 20 blocks before it;
//   a tool loop can add more than 20 blocks in a call (parallel tool results), so the previous
//   call's breakpoint is marked again explicitly instead of relied on through the lookback.
// - A prefix shorter than the model's minimum (1,024 tokens for Sonnet/Opus 4.x, more for some
//   Haiku and Opus models) is silently not cached: no error, so no check here.
// - `thinking` / `redacted_thinking` blocks take no `cache_control` (their params have none).
// - The default life is 5 minutes, refreshed by each read; `ttl: "1h"` asks for an hour (writes
//   cost 2× the input price instead of 1.25×: Sonnet 4.5 $6 vs $3.75 per million, reads $0.30).
//   The 1-hour cache shipped behind the `extended-cache-ttl-2025-04-11` beta; the SDK's non-beta
//   types now carry `ttl`, but the beta is still sent with it: harmless where it is no longer
//   needed, and required by endpoints that have not caught up.
//
// Where the breakpoints go: the last tool (the tools rarely change), the system prompt (Keel's
// prompt and instructions), and the last block of each of the two most recent user messages — the
// newest is written, the one before it is where the previous call wrote, so it is read back.
import type { CacheControlEphemeral, ContentBlockParam, MessageCreateParamsStreaming, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { PromptCache } from './types.js';

export const MAX_BREAKPOINTS = 4;
/** Message breakpoints asked for, before the 4-breakpoint cap. */
const MESSAGE_BREAKPOINTS = 2;
export const EXTENDED_CACHE_TTL_BETA = 'extended-cache-ttl-2025-04-11';

/** The request with its breakpoints; `off` leaves it as it is. Returns a new body (the input is not changed). */
export function withBreakpoints(body: MessageCreateParamsStreaming, cache: PromptCache): MessageCreateParamsStreaming {
  if (cache === 'off') return body;
  const control: CacheControlEphemeral = cache === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const out = { ...body };
  let budget = MAX_BREAKPOINTS;
  if (out.tools && out.tools.length > 0) {
    out.tools = [...out.tools.slice(0, -1), { ...out.tools.at(-1)!, cache_control: control } as (typeof out.tools)[number]];
    budget--;
  }
  if (typeof out.system === 'string' && out.system !== '') {
    out.system = [{ type: 'text', text: out.system, cache_control: control } satisfies TextBlockParam];
    budget--;
  }
  // The most recent user messages; when over the cap, the oldest message breakpoint is left out.
  const users = out.messages.flatMap((message, index) => (message.role === 'user' && lastCacheable(message) !== -1 ? [index] : []));
  const marked = new Set(users.slice(users.length - Math.min(MESSAGE_BREAKPOINTS, budget)));
  out.messages = out.messages.map((message, index) => (marked.has(index) ? markLast(message, control) : message));
  return out;
}

/** A block that takes `cache_control`: not thinking, and not an empty text (the API refuses those). */
function cacheable(block: ContentBlockParam): boolean {
  if (block.type === 'thinking' || block.type === 'redacted_thinking') return false;
  return block.type !== 'text' || block.text !== '';
}

function lastCacheable(message: MessageParam): number {
  if (typeof message.content === 'string') return message.content === '' ? -1 : 0;
  return (message.content as ContentBlockParam[]).findLastIndex(cacheable);
}

function markLast(message: MessageParam, control: CacheControlEphemeral): MessageParam {
  const blocks: ContentBlockParam[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...(message.content as ContentBlockParam[])];
  const at = blocks.findLastIndex(cacheable);
  blocks[at] = { ...blocks[at]!, cache_control: control } as ContentBlockParam;
  return { ...message, content: blocks } as MessageParam;
}
