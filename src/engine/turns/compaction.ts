// Compaction: the thread's model summarises the conversation so far, and from then on is given the
// summary instead of what came before (conversation.ts). The summary is kept with a
// `contextCompaction` item (not on the wire, as Codex's item carries none); every item before it
// stays in the thread, so thread/read and replay show the compaction where it happened. A failed
// compaction leaves its item without a summary — no boundary — and the caller fails the turn.
import { stampEvent } from '../../core/events.js';
import { ProviderError, type ConversationItem, type ModelProvider } from '../../providers/types.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import { buildConversation } from './conversation.js';
import { ResponseRecorder } from './response-recorder.js';

export const COMPACTION_PROMPT = `Compact this conversation so that you can continue the work from your summary alone; the messages above will be removed.

Write a summary that keeps what is needed to go on:
- the user's goal and every requirement or constraint they stated, in their words where it matters;
- what has been done: files created or changed (paths), commands run and their important results, decisions and why;
- the current state: what works, what fails (exact errors), what was being done when this summary was written;
- what remains to do, in order, and any open questions for the user.

Be concrete (names, paths, values); leave out chatter and anything already superseded. Answer with the summary only.`;

export interface Compaction {
  runtime: ThreadRuntime;
  turnId: string;
  provider: ModelProvider;
  model: string;
  contextWindow: number | null;
  signal: AbortSignal;
  /** Places images are never read from (Keel's home). */
  hidden: readonly string[];
  now(): number;
  newId(): string;
}

/** Compacts the thread now, inside `turnId`; throws (after ending its item without a summary) when it cannot. */
export async function compactThread(run: Compaction): Promise<void> {
  const { runtime, turnId } = run;
  const threadId = runtime.state.id;
  const item = { type: 'contextCompaction' as const, id: run.newId() };
  const apply = (body: Parameters<typeof stampEvent>[2]) => runtime.apply([stampEvent(threadId, run.now(), body as never)]);
  apply({ type: 'item/started', turnId, itemId: item.id, item });
  let summary = '';
  try {
    const route = { provider: run.provider.id, model: run.model };
    const history = await buildConversation(runtime.state, run.provider.toolFamily, run.signal, run.hidden, route);
    // The history holds the turns' context (instructions, environment): the model summarises in context.
    const conversation = [...history, { type: 'user' as const, content: [{ type: 'text' as const, text: COMPACTION_PROMPT }] }];
    const request = {
      model: run.model,
      instructions: null,
      conversation,
      tools: [],
      reasoningEffort: runtime.state.settings.reasoningEffort,
      reasoningSummary: null,
      outputSchema: null,
      cacheKey: threadId,
      parallelToolCalls: false,
    };
    // Token usage is recorded as for any model call; the text is the summary, not an agent message.
    const usage = new ResponseRecorder(runtime, turnId, run.now, run.newId, run.contextWindow, route);
    for await (const batch of run.provider.stream(request, run.signal)) {
      if (run.signal.aborted) throw run.signal.reason;
      for (const event of batch) {
        if (event.type === 'text') summary += event.delta;
        else if (event.type === 'usage') usage.handle(event);
      }
    }
    usage.recordUsage();
    summary = summary.trim();
    if (summary === '') throw new ProviderError('the model answered the compaction with no summary', 'other', { retryable: false });
  } catch (error) {
    apply({ type: 'item/completed', turnId, itemId: item.id, item });
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ProviderError) throw new ProviderError(`compaction failed: ${reason}; the thread keeps its full history`, error.kind, { retryable: false });
    throw error;
  }
  apply({ type: 'item/completed', turnId, itemId: item.id, item, modelOutput: summary });
}

/** Tokens a conversation holds, estimated at four characters a token (documented in app-server.md). */
export function estimateTokens(conversation: readonly ConversationItem[]): number {
  return Math.ceil(JSON.stringify(conversation).length / 4);
}
