// thread/inject_items: Responses API items a client adds to the history the model sees. Codex
// takes raw ResponseItems; Keel keeps history provider-neutral (a thread may continue on another
// provider), so it takes the items every provider can be given: messages — `role` user, assistant,
// developer or system (system is a developer message, as Responses reads it), `content` a string or
// a list of input_text / output_text parts. Anything else (tool calls and results, reasoning, images)
// is refused with the index of the item, never dropped silently.
import type { InjectedMessage } from '../../../core/events.js';
import type { ThreadCommands } from '../../../engine/thread-commands.js';
import { DomainErrors } from '../../../kernel/errors.js';
import type { Handler } from '../../dispatch.js';

const ROLES: Record<string, InjectedMessage['role']> = { user: 'user', assistant: 'assistant', developer: 'developer', system: 'developer' };
const TEXT_PARTS = new Set(['input_text', 'output_text', 'text']);

/** The item as Keel keeps it, or why it cannot be taken. */
export function injectedMessage(item: unknown): InjectedMessage | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'must be an object (a Responses API item)';
  const { type, role, content } = item as Record<string, unknown>;
  if (type !== undefined && type !== 'message') return `type ${JSON.stringify(type)} cannot be injected in Keel: only messages can (type "message")`;
  const kept = typeof role === 'string' ? ROLES[role] : undefined;
  if (kept === undefined) return `role must be user, assistant, developer or system, got ${JSON.stringify(role)}`;
  if (typeof content === 'string') return { role: kept, text: content };
  if (!Array.isArray(content)) return 'content must be a string or a list of input_text/output_text parts';
  const texts: string[] = [];
  for (const [i, part] of content.entries()) {
    const { type: partType, text } = (typeof part === 'object' && part !== null ? part : {}) as Record<string, unknown>;
    if (typeof partType !== 'string' || !TEXT_PARTS.has(partType) || typeof text !== 'string') return `content[${i}] must be an input_text or output_text part with its text (Keel injects text only)`;
    texts.push(text);
  }
  return { role: kept, text: texts.join('\n') };
}

export function threadInjectItems({ threads }: { threads: ThreadCommands }): Handler<'thread/inject_items'> {
  return async (params, { session, afterResponse }) => {
    const messages = params.items.map((item, index) => {
      const read = injectedMessage(item);
      if (typeof read === 'string') throw DomainErrors.invalid(read, `items[${index}]`);
      return read;
    });
    // Nothing to add: nothing recorded (the thread must exist all the same).
    if (messages.length === 0) {
      await threads.injectItems(params.threadId, [], session).then(({ publish }) => afterResponse(publish));
      return {};
    }
    afterResponse((await threads.injectItems(params.threadId, messages, session)).publish);
    return {};
  };
}
