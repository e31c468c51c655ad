// Compaction: the thread's model summarises the conversation so far, and from then on is given the
// summary instead of what came before (conversation.ts). The summary is kept with a
// `contextCompaction` item (not on the wire, as Codex's item carries none); every item before it
// stays in the thread, so thread/read and replay show the compaction where it happened. A failed
// compaction leaves its item without a summary — no boundary — and the caller fails the turn.
import { stampEvent } from '../../core/events.js';
import { ProviderError, type ConversationItem } from '../../providers/types.js';
import { toArray } from '../../core/plist.js';
import type { ItemState, ThreadState, UsageMark } from '../../core/state.js';
import { runModelCall, type ModelCall } from './model-call.js';

export const COMPACTION_PROMPT = `Compact this conversation so that you can continue the work from your summary alone; the messages above will be removed.

Write a summary that keeps what is needed to go on:
- the user's goal and every requirement or constraint they stated, in their words where it matters;
- what has been done: files created or changed (paths), commands run and their important results, decisions and why;
- the current state: what works, what fails (exact errors), what was being done when this summary was written;
- what remains to do, in order, and any open questions for the user.

Be concrete (names, paths, values); leave out chatter and anything already superseded. Answer with the summary only.`;

/** A compaction is a model call of the turn (model-call.ts), with its own prompt after the history and no tools. */
export type Compaction = Omit<ModelCall, 'options' | 'tools' | 'history' | 'append' | 'sink'>;

/** Compacts the thread now, inside `turnId`; throws (after ending its item without a summary) when it cannot. */
export async function compactThread(run: Compaction): Promise<void> {
  const { runtime, turnId } = run;
  const threadId = runtime.state.id;
  const item = { type: 'contextCompaction' as const, id: run.newId() };
  const apply = (body: Parameters<typeof stampEvent>[2]) => runtime.apply([stampEvent(threadId, run.now(), body as never)]);
  apply({ type: 'item/started', turnId, itemId: item.id, item });
  let summary: string;
  try {
    // The same path as a turn's call (retries, idle timeout, usage); the text is the summary, not an agent message.
    const response = await runModelCall({
      ...run,
      options: { summary: null, outputSchema: null },
      tools: [],
      append: [{ type: 'user', content: [{ type: 'text', text: COMPACTION_PROMPT }] }],
      sink: 'text',
    });
    summary = response.text.trim();
  } catch (error) {
    apply({ type: 'item/completed', turnId, itemId: item.id, item });
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ProviderError) throw new ProviderError(`compaction failed: ${reason}; the thread keeps its full history`, error.kind, { retryable: false });
    throw error;
  }
  apply({ type: 'item/completed', turnId, itemId: item.id, item, modelOutput: summary });
}

/**
 * Tokens the next call will send, for automatic compaction (documented in app-server.md): what
 * the provider reported for the last call of the thread's context — its input, and its output,
 * which goes back as input — plus an estimate (four characters a token) of the items added since.
 * With no report yet, or a compaction since (what is sent changed), the whole conversation is
 * estimated instead.
 */
export function contextTokens(state: ThreadState, conversation: readonly ConversationItem[]): number {
  const mark = state.usageMark;
  const added = mark && itemsSince(state, mark);
  if (!mark || !added || added.some((entry) => entry.item.type === 'contextCompaction')) return estimateTokens(conversation);
  // A tool item is sent as its call and what the model was given back; anything else as it is.
  const charsOf = (entry: ItemState) => (entry.modelOutput !== undefined ? entry.modelOutput.length + (entry.call?.arguments.length ?? 0) : JSON.stringify(entry.item).length);
  const addedChars = added.reduce((sum, entry) => sum + charsOf(entry), 0);
  return mark.inputTokens + mark.outputTokens + Math.ceil(addedChars / 4);
}

/** The items after the mark, in order; null when its turn is gone (reverted). */
function itemsSince(state: ThreadState, mark: UsageMark): ItemState[] | null {
  const turns = toArray(state.turns);
  const at = turns.findIndex((turn) => turn.id === mark.turnId);
  if (at === -1) return null;
  return [...toArray(turns[at]!.items).slice(mark.items), ...turns.slice(at + 1).flatMap((turn) => toArray(turn.items))];
}

/** Tokens a conversation holds, estimated at four characters a token (documented in app-server.md). */
export function estimateTokens(conversation: readonly ConversationItem[]): number {
  return Math.ceil(JSON.stringify(conversation).length / 4);
}
