// Rebuilds the conversation a provider sees from the thread's items and the context its turns
// recorded (turn-context.ts), so resume, fork and revert continue correctly, a thread begun on one
// provider continues on another, and each request begins with the one before it.
import path from 'node:path';
import { map } from '../../core/plist.js';
import type { ThreadItem, UserInput } from '../../core/protocol-types.js';
import type { ThreadState, TurnState } from '../../core/state.js';
import type { ConversationItem, ReasoningCarry, UserContent } from '../../providers/types.js';
import { sameReasoningFamily } from '../../providers/model-catalog.js';
import type { ContextMessage, InjectedMessage, ToolFamily } from '../../core/events.js';
import { readInputFile } from '../../tools/input-file.js';
import { replayToolItem } from '../../tools/replay.js';
import { namedSkillText } from './skills-context.js';
import { contextInEffect, contextInOrder, contextItem } from './turn-context.js';

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/**
 * `family`: the tool vocabulary of the model that will read it (tool items are replayed in it);
 * `signal`: the turn's, reading local files stops with it. `hidden`: places a `view_image` the
 * model asked for is never read from again (Keel's home: the file may have become a link into it).
 * `route`: the provider and model that will read it — reasoning carries go back only to the family
 * that produced them (absent: none goes back).
 */
export async function buildConversation(
  thread: ThreadState,
  family: ToolFamily,
  signal: AbortSignal,
  hidden: readonly string[] = [],
  route?: { provider: string; model: string },
): Promise<ConversationItem[]> {
  const image = (file: string) => localImage(file, thread.settings.cwd, signal, hidden).then((content): ConversationItem => ({ type: 'user', content: [content] }));
  const turns = map(thread.turns, (t) => t);
  // After a compaction the model gets its summary instead of everything before it (the items stay in the thread).
  const boundary = lastCompaction(turns);
  const { front, placedThrough } = leadingContext(turns, boundary?.turn ?? -1);
  const out: ConversationItem[] = front.map(contextItem);
  // Messages injected before the first turn are history like the turns' (a compaction summarised them).
  if (boundary === null) out.push(...(thread.injected ?? []).map(injectedItem));
  if (boundary !== null) out.push(summaryMessage(boundary.summary));
  for (const [turnIndex, turn] of turns.entries()) {
    if (boundary !== null && turnIndex < boundary.turn) continue;
    // What the turn added to the model's context goes before its input, where it was first sent.
    if (turnIndex > placedThrough) out.push(...(turn.context ?? []).map(contextItem));
    // Tool calls made side by side (one response) go back as all the calls, then all the results,
    // so providers can rebuild them as one assistant message, as the model produced them; the next
    // response's calls follow those results (so each request's input begins with the previous one's).
    let results: ConversationItem[] = [];
    let after: ConversationItem[] = [];
    const flush = () => {
      out.push(...results, ...after);
      results = [];
      after = [];
    };
    for (const [itemIndex, entry] of map(turn.items, (e) => e).entries()) {
      // The request of the turn that was compacted stays: it is what the model is working on.
      if (boundary !== null && turnIndex === boundary.turn && itemIndex <= boundary.item && entry.item.type !== 'userMessage') continue;
      const replayed = await replayToolItem(entry, family, image);
      if (replayed?.kind === 'call') {
        if (entry.call?.opensResponse) flush();
        out.push(replayed.call);
        results.push(replayed.result);
        after.push(...replayed.after);
        continue;
      }
      flush();
      if (entry.item.type === 'reasoning') {
        const carry = route && entry.carry && sameReasoningFamily(entry.carry, route) ? { carry: entry.carry.data as unknown as ReasoningCarry } : {};
        out.push({ type: 'reasoning', summary: entry.item.summary, text: entry.item.content, ...carry });
        continue;
      }
      out.push(...(replayed ? replayed.messages : await convertItem(entry.item, thread.settings.cwd, signal)));
    }
    flush();
    if (turn.status === 'interrupted') out.push(TURN_ABORTED);
    out.push(...(turn.injected ?? []).map(injectedItem));
  }
  return out;
}

/** A message a client injected (thread/inject_items), as the model reads it. */
function injectedItem(message: InjectedMessage): ConversationItem {
  switch (message.role) {
    case 'developer':
      return { type: 'developer', text: message.text };
    case 'assistant':
      return { type: 'assistant', text: message.text };
    case 'user':
      return { type: 'user', content: [{ type: 'text', text: message.text }] };
  }
}

/**
 * The context in front of everything (its turns' own context is placed): after a compaction, all
 * that is in effect at it, in sending order, before the summary; else the first recorded context,
 * which a thread older than recorded context (its turns have none) gets in front of its history.
 */
function leadingContext(turns: readonly TurnState[], boundaryTurn: number): { front: ContextMessage[]; placedThrough: number } {
  const first = turns.findIndex((turn) => turn.context !== undefined);
  if (first === -1) return { front: [], placedThrough: -1 };
  if (first <= boundaryTurn) return { front: contextInOrder(contextInEffect(turns.slice(0, boundaryTurn + 1))), placedThrough: boundaryTurn };
  return { front: [...turns[first]!.context!], placedThrough: first };
}

/** The latest completed compaction (one that holds a summary): where the model's history starts. */
function lastCompaction(turns: readonly TurnState[]): { turn: number; item: number; summary: string } | null {
  for (let t = turns.length - 1; t >= 0; t--) {
    const items = map(turns[t]!.items, (e) => e);
    for (let i = items.length - 1; i >= 0; i--) {
      const entry = items[i]!;
      if (entry.item.type === 'contextCompaction' && entry.modelOutput) return { turn: t, item: i, summary: entry.modelOutput };
    }
  }
  return null;
}

export function summaryMessage(summary: string): ConversationItem {
  const text = `<conversation_summary>\nThe conversation before this point was compacted to fit the context window. What happened in it, as summarised then:\n\n${summary}\n</conversation_summary>`;
  return { type: 'user', content: [{ type: 'text', text }] };
}

/**
 * What the model is told after a turn the user interrupted (Codex adds a marker too): the turn's
 * items stay as they are — a partial answer is kept, as the client saw it — and this note follows.
 */
export const TURN_ABORTED: ConversationItem = {
  type: 'user',
  content: [{ type: 'text', text: '<turn_aborted>The user interrupted the previous turn before it finished. Anything above from that turn may be incomplete; do not assume its work was done.</turn_aborted>' }],
};

async function convertItem(item: ThreadItem, cwd: string, signal: AbortSignal): Promise<ConversationItem[]> {
  switch (item.type) {
    case 'userMessage':
      return [{ type: 'user', content: await userContent(item.content, cwd, signal) }];
    case 'agentMessage':
      return item.text === '' ? [] : [{ type: 'assistant', text: item.text }];
    default:
      return [];
  }
}

async function userContent(inputs: readonly UserInput[], cwd: string, signal: AbortSignal): Promise<UserContent[]> {
  const content: UserContent[] = [];
  for (const input of inputs) {
    if (input.type === 'text') content.push({ type: 'text', text: input.text });
    else if (input.type === 'image' && input.url) content.push({ type: 'image', url: input.url });
    else if (input.type === 'localImage') content.push(await localImage(input.path, cwd, signal));
    else if (input.type === 'skill') content.push({ type: 'text', text: await namedSkillText(input, cwd, signal) });
    else if (input.type === 'mention') content.push({ type: 'text', text: `@${input.name} (${input.path})` });
  }
  return content;
}

/** A local image travels as a data URL; one that cannot be read, or may not be, becomes a note the model sees. */
async function localImage(file: string, cwd: string, signal: AbortSignal, hidden?: readonly string[]): Promise<UserContent> {
  const absolute = path.resolve(cwd, file);
  const mime = IMAGE_TYPES[path.extname(absolute).toLowerCase()];
  if (!mime) return { type: 'text', text: `[image ${absolute}: unsupported image type]` };
  const read = await readInputFile(absolute, signal, undefined, hidden);
  if ('refused' in read) return { type: 'text', text: `[image ${absolute}: ${read.refused}]` };
  return { type: 'image', url: `data:${mime};base64,${read.bytes.toString('base64')}` };
}
