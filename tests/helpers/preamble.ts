// What Keel sends a model before a thread's history (src/engine/turns/turn-context.ts): Keel's
// prompt as developer instructions, AGENTS.md files and an <environment_context> as user text.
// Turn tests that are about the conversation compare request bodies without it; the preamble has
// its own tests (tests/e2e/model-context.test.ts).
import type { RecordedCall } from './fake-model-server.js';

type Json = Record<string, any>;

const CONTEXT_MARKERS = ['<environment_context>', '# AGENTS.md instructions for ', '## Skills\n'];
const isContextText = (text: unknown) => typeof text === 'string' && CONTEXT_MARKERS.some((marker) => text.startsWith(marker));

/** Text of a message's content, whatever the wire's shape for it. */
function firstText(content: unknown): unknown {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return (content[0] as Json | undefined)?.text;
  return undefined;
}

/** The preamble's items at the start of a Responses `input` or Chat `messages` list. */
export function preambleLength(list: Json[], developerRole: 'developer' | 'system'): number {
  let n = 0;
  while (n < list.length && (list[n]!.role === developerRole || (list[n]!.role === 'user' && isContextText(firstText(list[n]!.content))))) n++;
  return n;
}

/**
 * A recorded request body with the preamble and the tool definitions taken out (each toolset has
 * its own tests): Responses, Chat Completions or Anthropic Messages. Anthropic's prompt-cache
 * breakpoints (`cache_control` on message blocks) are taken out too: where they go has its own
 * tests (tests/providers/anthropic-cache.test.ts, tests/e2e/anthropic-thinking-cache.test.ts).
 */
export function conversationBody(call: RecordedCall): Json {
  const body = { ...(call.body as Json) };
  delete body.tools;
  if (Array.isArray(body.input)) body.input = body.input.slice(preambleLength(body.input, 'developer'));
  else if ('system' in body || call.path.endsWith('/messages')) {
    delete body.system;
    const [first, ...rest] = body.messages as Json[];
    const kept = (first?.content as Json[] | undefined)?.filter((block) => !(block.type === 'text' && isContextText(block.text))) ?? [];
    body.messages = (kept.length > 0 ? [{ ...first, content: kept }, ...rest] : rest).map(withoutBreakpoints);
  } else if (Array.isArray(body.messages)) body.messages = body.messages.slice(preambleLength(body.messages, 'system'));
  return body;
}

/** A Messages message without the `cache_control` of its blocks. */
function withoutBreakpoints(message: Json): Json {
  if (!Array.isArray(message.content)) return message;
  return { ...message, content: message.content.map(({ cache_control: _, ...block }: Json) => block) };
}

/**
 * The top-level fields Keel sends a reasoning model with tools on the Responses wire, besides
 * `model` and `input` — what Codex sends too (app-server.md, "What Keel sends to models").
 */
export function responsesFieldsAsCodex(threadId: string): Json {
  return {
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { summary: 'auto' },
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: threadId,
    stream: true,
    store: false,
  };
}
