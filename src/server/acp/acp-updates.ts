// A thread's events as ACP `session/update`s: the second codec at the session's edge (the Codex one
// is core/codec.ts through codex-events.ts). A fold over the thread's events: the same events give
// the same updates, live or replayed from the log by session/load. Message chunks carry the item id
// as `messageId`; tool items are tool calls under their item id (acp-tool-calls.ts).
import { pathToFileURL } from 'node:url';
import type { ContentBlock, SessionUpdate, ToolCallContent, ToolCallStatus, PlanEntry } from '@agentclientprotocol/sdk';
import type { FileUndo, KeelEvent, PlanStep } from '../../core/events.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import type { ThreadState } from '../../core/state.js';
import { textContent, toolCall } from './acp-tool-calls.js';
import { usageUpdates } from './acp-usage.js';

/**
 * What a running command's output update shows: its last characters. An update's content replaces
 * the call's content, so each carries the output so far; a tail keeps that linear in the output
 * (a whole MiB resent per chunk would not be). The completion carries the whole output.
 */
export const LIVE_OUTPUT_TAIL_CHARS = 64 * 1024;

/**
 * What the fold remembers of the tool calls still open: the item each started as (a permission
 * request shows it), and the tail of a command's output so far. Keyed by turn and item: item ids
 * are the model's call ids, which two sessions of one connection may both use.
 */
export class ToolCallMemory {
  private readonly items = new Map<string, ThreadItem>();
  private readonly outputs = new Map<string, string>();
  /** The editor terminal a command runs in (acp-terminal.ts): the call shows it instead of the output's text. */
  private readonly terminals = new Map<string, string>();

  /** Records the terminal `itemId` runs in; true when its call is already shown (so an update must say it). */
  terminal(turnId: string, itemId: string, terminalId: string): boolean {
    this.terminals.set(key(turnId, itemId), terminalId);
    return this.items.has(key(turnId, itemId));
  }

  terminalOf(turnId: string, itemId: string): string | undefined {
    return this.terminals.get(key(turnId, itemId));
  }

  started(turnId: string, itemId: string): ThreadItem | undefined {
    return this.items.get(key(turnId, itemId));
  }

  start(turnId: string, item: ThreadItem): void {
    this.items.set(key(turnId, item.id), item);
  }

  output(turnId: string, itemId: string, delta: string): string {
    const all = (this.outputs.get(key(turnId, itemId)) ?? '') + delta;
    const tail = all.length > LIVE_OUTPUT_TAIL_CHARS ? all.slice(-LIVE_OUTPUT_TAIL_CHARS) : all;
    this.outputs.set(key(turnId, itemId), tail);
    return tail;
  }

  end(turnId: string, itemId: string): void {
    this.items.delete(key(turnId, itemId));
    this.outputs.delete(key(turnId, itemId));
    this.terminals.delete(key(turnId, itemId));
  }

  /** A turn's end closes what it left open (an interrupted command never completes). */
  endTurn(turnId: string): void {
    const prefix = key(turnId, '');
    for (const map of [this.items, this.outputs, this.terminals]) for (const open of [...map.keys()]) if (open.startsWith(prefix)) map.delete(open);
  }
}

function key(turnId: string, itemId: string): string {
  return `${turnId}\u0000${itemId}`;
}

export interface UpdateOptions {
  /** session/load replays the user's messages too; live, the client sent them itself. */
  withUserMessages: boolean;
  calls: ToolCallMemory;
  /** The client advertised `session.compaction`: ACP lets an agent send compaction updates only then. */
  compaction?: boolean;
  /** The thread's state once the event applied (its usage per model, for the session's cost). */
  after?: ThreadState;
}

export function updatesFor(event: KeelEvent, options: UpdateOptions): SessionUpdate[] {
  switch (event.type) {
    case 'item/started':
      if (event.item.type === 'contextCompaction') return options.compaction === true ? [{ sessionUpdate: 'compaction_update', compactionId: event.itemId, status: 'in_progress' }] : [];
      return startedUpdates(event.turnId, event.item, options);
    case 'item/delta':
      if (event.channel === 'agentMessage') return [{ sessionUpdate: 'agent_message_chunk', messageId: event.itemId, content: { type: 'text', text: event.delta } }];
      if (event.channel === 'reasoningSummary' || event.channel === 'reasoningText') return [{ sessionUpdate: 'agent_thought_chunk', messageId: event.itemId, content: { type: 'text', text: event.delta } }];
      if (event.channel === 'commandOutput') {
        // In the editor's terminal the user already watches it stream.
        if (options.calls.terminalOf(event.turnId, event.itemId) !== undefined) return [];
        return [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, content: [textContent(options.calls.output(event.turnId, event.itemId, event.delta))] }];
      }
      return [];
    case 'request/opened':
      // Asked: the call waits on the user (the permission request itself carries what it shows). A
      // question about a call not shown yet (the model's questions, whose item starts once answered)
      // updates nothing.
      if (options.calls.started(event.turnId, event.itemId) === undefined) return [];
      return [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, status: 'pending' }];
    case 'request/resolved':
      // Allowed by the user, the call runs; a refusal ends it failed at its completion. A decision
      // remembered (for the session, by a rule) comes before the call's item started: nothing to update.
      if (options.calls.started(event.turnId, event.itemId) === undefined) return [];
      return event.by === 'client' && event.decision.startsWith('accept') ? [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, status: 'in_progress' }] : [];
    case 'item/writeIntent':
      // The whole before and after of every file the change writes: ACP's diff content.
      return [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, content: event.changes.map(wholeDiff) }];
    case 'item/completed': {
      if (event.item.type === 'contextCompaction') return options.compaction === true ? [compactionEnd(event.itemId, event.modelOutput)] : [];
      const terminalId = options.calls.terminalOf(event.turnId, event.itemId);
      options.calls.end(event.turnId, event.itemId);
      return completedUpdates(event.item, terminalId);
    }
    case 'turn/completed':
      options.calls.endTurn(event.turnId);
      // The session's last activity, as session/list's updatedAt says it.
      return [{ sessionUpdate: 'session_info_update', updatedAt: new Date(event.at).toISOString() }];
    case 'thread/created':
      return event.name ? [{ sessionUpdate: 'session_info_update', title: event.name }] : [];
    case 'thread/renamed':
      return [{ sessionUpdate: 'session_info_update', title: event.name }];
    case 'turn/tokenUsage':
      return usageUpdates(event, options.after);
    case 'turn/planUpdated':
      return [{ sessionUpdate: 'plan', entries: event.plan.map(planEntry) }];
    default:
      return [];
  }
}

function startedUpdates(turnId: string, item: ThreadItem, options: UpdateOptions): SessionUpdate[] {
  switch (item.type) {
    case 'userMessage':
      if (!options.withUserMessages) return [];
      return item.content.flatMap((part): SessionUpdate[] => promptBlocks(part).map((content) => ({ sessionUpdate: 'user_message_chunk', messageId: item.id, content })));
    case 'agentMessage':
      // Replayed from the log, an agent message's text arrives whole in its completion instead.
      return [];
    default: {
      const call = toolCall(item);
      if (call === null) return [];
      // An item announced for its question starts again when it runs: the call is already shown.
      const shown = options.calls.started(turnId, item.id) !== undefined;
      options.calls.start(turnId, item);
      if (shown) return [];
      const terminalId = options.calls.terminalOf(turnId, item.id);
      return [{ sessionUpdate: 'tool_call', ...call, ...(terminalId !== undefined && { content: [terminalContent(terminalId)] }), status: 'in_progress' }];
    }
  }
}

/**
 * A user input as the prompt's content block it came from (acp-prompt.ts, backwards): text, a
 * data-URL image, a file mention as its link, a skill as the command that named it (acp-commands.ts).
 */
function promptBlocks(part: Extract<ThreadItem, { type: 'userMessage' }>['content'][number]): ContentBlock[] {
  if (part.type === 'text') return [{ type: 'text', text: part.text }];
  if (part.type === 'skill') return [{ type: 'text', text: `/${part.name}` }];
  if (part.type === 'mention') return [{ type: 'resource_link', name: part.name, uri: pathToFileURL(part.path).href }];
  const data = part.type === 'image' ? /^data:([^;,]+);base64,(.*)$/s.exec(part.url ?? '') : null;
  return data ? [{ type: 'image', mimeType: data[1]!, data: data[2]! }] : [];
}

/** A command's place in the editor's terminal, as tool call content. */
export function terminalContent(terminalId: string): ToolCallContent {
  return { type: 'terminal', terminalId };
}

function completedUpdates(item: ThreadItem, terminalId: string | undefined): SessionUpdate[] {
  const call = toolCall(item);
  if (call === null) return [];
  const status: ToolCallStatus = 'status' in item && (item.status === 'failed' || item.status === 'declined') ? 'failed' : 'completed';
  // A file change keeps the content it showed: the whole diffs its write intent gave, or its hunks.
  // A command run in the editor's terminal keeps showing it (released, the editor still shows its output).
  const content = item.type === 'fileChange' ? undefined : terminalId !== undefined ? [terminalContent(terminalId)] : call.content;
  return [{ sessionUpdate: 'tool_call_update', toolCallId: call.toolCallId, status, ...(content !== undefined && { content }), ...(call.rawOutput !== undefined && { rawOutput: call.rawOutput }) }];
}

/** A written file as a diff: an added file has no old text, a deleted one no new text, a moved one shows at its new path. */
function wholeDiff(change: FileUndo): { type: 'diff'; path: string; oldText: string | null; newText: string } {
  return { type: 'diff', path: change.movePath ?? change.path, oldText: change.before, newText: change.after ?? '' };
}

/**
 * A compaction's end: its item completes with the summary the model wrote (kept with the item in
 * the log), or without one when the model could not summarise (the turn fails with why).
 */
function compactionEnd(compactionId: string, summary: string | undefined): SessionUpdate {
  if (summary === undefined) return { sessionUpdate: 'compaction_update', compactionId, status: 'failed' };
  return { sessionUpdate: 'compaction_update', compactionId, status: 'completed', summary: [{ type: 'text', text: summary }] };
}

function planEntry(step: PlanStep): PlanEntry {
  return { content: step.step, priority: 'medium', status: step.status === 'inProgress' ? 'in_progress' : step.status };
}
