// A thread's events as ACP `session/update`s: the second codec at the session's edge (the Codex one
// is core/codec.ts through codex-events.ts). Pure: the same events give the same updates, live or
// replayed from the log by session/load. Message chunks carry the item id as `messageId`; tool
// items are tool calls under their item id.
import { pathToFileURL } from 'node:url';
import type { ContentBlock, SessionUpdate, ToolCallContent, ToolKind, ToolCallStatus, PlanEntry } from '@agentclientprotocol/sdk';
import type { KeelEvent, PlanStep } from '../../core/events.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import { mcpResultText } from '../../engine/turns/mcp-tools.js';

export interface UpdateOptions {
  /** session/load replays the user's messages too; live, the client sent them itself. */
  withUserMessages: boolean;
}

export function updatesFor(event: KeelEvent, options: UpdateOptions): SessionUpdate[] {
  switch (event.type) {
    case 'item/started':
      return startedUpdates(event.item, options);
    case 'item/delta':
      if (event.channel === 'agentMessage') return [{ sessionUpdate: 'agent_message_chunk', messageId: event.itemId, content: { type: 'text', text: event.delta } }];
      if (event.channel === 'reasoningSummary' || event.channel === 'reasoningText') return [{ sessionUpdate: 'agent_thought_chunk', messageId: event.itemId, content: { type: 'text', text: event.delta } }];
      if (event.channel === 'commandOutput') return [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, content: [textContent(event.delta)] }];
      return [];
    case 'item/writeIntent':
      // The whole before and after of every file the change writes: ACP's diff content.
      return [{ sessionUpdate: 'tool_call_update', toolCallId: event.itemId, content: event.changes.map((change) => ({ type: 'diff', path: change.movePath ?? change.path, oldText: change.before, newText: change.after ?? '' })) }];
    case 'item/completed':
      return completedUpdates(event.item);
    case 'turn/planUpdated':
      return [{ sessionUpdate: 'plan', entries: event.plan.map(planEntry) }];
    default:
      return [];
  }
}

function startedUpdates(item: ThreadItem, options: UpdateOptions): SessionUpdate[] {
  switch (item.type) {
    case 'userMessage':
      if (!options.withUserMessages) return [];
      return item.content.flatMap((part): SessionUpdate[] => promptBlocks(part).map((content) => ({ sessionUpdate: 'user_message_chunk', messageId: item.id, content })));
    case 'agentMessage':
      // Replayed from the log, an agent message's text arrives whole in its completion instead.
      return [];
    default: {
      const call = toolCall(item);
      return call === null ? [] : [{ sessionUpdate: 'tool_call', ...call, status: 'in_progress' }];
    }
  }
}

/** A user input as the prompt's content block it came from (acp-prompt.ts, backwards): text, a data-URL image, a file mention as its link. */
function promptBlocks(part: Extract<ThreadItem, { type: 'userMessage' }>['content'][number]): ContentBlock[] {
  if (part.type === 'text') return [{ type: 'text', text: part.text }];
  if (part.type === 'mention') return [{ type: 'resource_link', name: part.name, uri: pathToFileURL(part.path).href }];
  const data = part.type === 'image' ? /^data:([^;,]+);base64,(.*)$/s.exec(part.url ?? '') : null;
  return data ? [{ type: 'image', mimeType: data[1]!, data: data[2]! }] : [];
}

function completedUpdates(item: ThreadItem): SessionUpdate[] {
  const call = toolCall(item);
  if (call === null) return [];
  const status: ToolCallStatus = 'status' in item && (item.status === 'failed' || item.status === 'declined') ? 'failed' : 'completed';
  return [{ sessionUpdate: 'tool_call_update', toolCallId: call.toolCallId, status, ...(call.content !== undefined && { content: call.content }), ...(call.rawOutput !== undefined && { rawOutput: call.rawOutput }) }];
}

interface CallShape {
  toolCallId: string;
  title: string;
  kind: ToolKind;
  locations?: Array<{ path: string }>;
  content?: ToolCallContent[];
  rawInput?: Record<string, unknown>;
  rawOutput?: Record<string, unknown>;
}

/** A tool item as an ACP tool call; null for items that are no tool (messages, reasoning). */
export function toolCall(item: ThreadItem): CallShape | null {
  switch (item.type) {
    case 'commandExecution':
      return {
        toolCallId: item.id,
        title: item.command,
        kind: 'execute',
        rawInput: { command: item.command, cwd: item.cwd },
        ...(item.aggregatedOutput != null && item.status !== 'inProgress' && { content: [textContent(item.aggregatedOutput)], rawOutput: { exitCode: item.exitCode ?? null } }),
      };
    case 'fileChange':
      return {
        toolCallId: item.id,
        title: `Edit ${item.changes.map((change) => change.path).join(', ')}`,
        kind: item.changes.every((change) => change.kind.type === 'delete') ? 'delete' : 'edit',
        locations: item.changes.map((change) => ({ path: change.path })),
        content: item.changes.map(changeContent),
      };
    case 'mcpToolCall':
      return {
        toolCallId: item.id,
        title: `${item.server}: ${item.tool}`,
        kind: 'other',
        rawInput: { arguments: item.arguments },
        // Its end shows what the server answered (or why it failed), as the model read it.
        ...(item.status !== 'inProgress' && { content: mcpContent(item), rawOutput: item.error !== null ? { error: item.error.message } : { ...item.result } }),
      };
    case 'dynamicToolCall':
      return { toolCallId: item.id, title: item.tool, kind: 'other', rawInput: { arguments: item.arguments } };
    case 'webSearch':
      return { toolCallId: item.id, title: `Search: ${item.query}`, kind: 'search' };
    default:
      return null;
  }
}

/** An added file's whole content is its diff (oldText null); an update's hunks are shown as text until its write gives the whole before and after. */
function changeContent(change: Extract<ThreadItem, { type: 'fileChange' }>['changes'][number]): ToolCallContent {
  if (change.kind.type === 'add') return { type: 'diff', path: change.path, oldText: null, newText: change.diff };
  return textContent(change.diff);
}

/** An MCP result's parts as ACP content: text and images as they are, anything else as the text the model read. */
function mcpContent(item: Extract<ThreadItem, { type: 'mcpToolCall' }>): ToolCallContent[] {
  if (item.error !== null && (item.result === null || item.result.content.length === 0)) return [textContent(item.error.message)];
  return (item.result?.content ?? []).map((part): ToolCallContent => {
    const p = part as { type?: unknown; text?: unknown; data?: unknown; mimeType?: unknown };
    if (p.type === 'image' && typeof p.data === 'string' && typeof p.mimeType === 'string') return { type: 'content', content: { type: 'image', data: p.data, mimeType: p.mimeType } };
    return textContent(typeof p.text === 'string' && p.type === 'text' ? p.text : mcpResultText([part]));
  });
}

function textContent(text: string): ToolCallContent {
  return { type: 'content', content: { type: 'text', text } };
}

function planEntry(step: PlanStep): PlanEntry {
  return { content: step.step, priority: 'medium', status: step.status === 'inProgress' ? 'in_progress' : step.status };
}
