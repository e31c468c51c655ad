// Keel's tool items as ACP tool calls: a kind (what the editor's icon and grouping say), a title,
// the locations the editor can follow, the content it shows (text, or a diff), and the raw input
// and output. Pure: an item gives the same call whenever it is rendered.
import path from 'node:path';
import type { ToolCallContent, ToolCallLocation, ToolKind } from '@agentclientprotocol/sdk';
import type { ThreadItem } from '../../core/protocol-types.js';
import { mcpResultText } from '../../engine/turns/mcp-tools.js';

export interface CallShape {
  toolCallId: string;
  title: string;
  kind: ToolKind;
  locations?: ToolCallLocation[];
  content?: ToolCallContent[];
  rawInput?: Record<string, unknown>;
  rawOutput?: Record<string, unknown>;
}

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;
type CommandAction = Item<'commandExecution'>['commandActions'][number];
type FileChange = Item<'fileChange'>['changes'][number];

/** A tool item as an ACP tool call; null for items that are no tool (messages, reasoning, markers). */
export function toolCall(item: ThreadItem): CallShape | null {
  switch (item.type) {
    case 'commandExecution':
      return commandCall(item);
    case 'fileChange':
      return fileChangeCall(item);
    case 'mcpToolCall':
      return {
        toolCallId: item.id,
        title: `${item.server}: ${item.tool}`,
        kind: 'other',
        rawInput: { server: item.server, tool: item.tool, arguments: item.arguments },
        // Its end shows what the server answered (or why it failed), as the model read it.
        ...(item.status !== 'inProgress' && { content: mcpContent(item), rawOutput: item.error !== null ? { error: item.error.message } : { ...item.result } }),
      };
    case 'dynamicToolCall':
      return { toolCallId: item.id, title: item.tool, kind: 'other', rawInput: { tool: item.tool, arguments: item.arguments }, ...(item.status !== 'inProgress' && { rawOutput: { success: item.success, contentItems: item.contentItems } }) };
    case 'webSearch':
      return webSearchCall(item);
    case 'imageView':
      return { toolCallId: item.id, title: `View ${path.basename(item.path)}`, kind: 'read', locations: [{ path: item.path }], rawInput: { path: item.path } };
    case 'collabAgentToolCall':
      return { toolCallId: item.id, title: `Agent: ${item.tool}`, kind: 'other', rawInput: { tool: item.tool, prompt: item.prompt, receiverThreadIds: item.receiverThreadIds } };
    case 'sleep':
      return { toolCallId: item.id, title: `Wait ${item.durationMs} ms`, kind: 'other', rawInput: { durationMs: item.durationMs } };
    case 'imageGeneration':
      return { toolCallId: item.id, title: 'Generate an image', kind: 'other', ...(item.savedPath != null && { locations: [{ path: item.savedPath }] }) };
    default:
      return null;
  }
}

/** A command is a read or a search when every action Keel parsed from it is one (as codex-acp shows them); else it executes. */
function commandCall(item: Item<'commandExecution'>): CallShape {
  const actions = item.commandActions;
  const kind: ToolKind = actions.length > 0 && actions.every((a) => a.type === 'read') ? 'read' : actions.length > 0 && actions.every((a) => a.type === 'search' || a.type === 'listFiles') ? 'search' : 'execute';
  const locations = actions.flatMap((action) => actionPath(action, item.cwd));
  const finished = item.status !== 'inProgress';
  return {
    toolCallId: item.id,
    // One action: its own words (a command's line as the model wrote it, not the shell wrapping it Keel runs).
    title: actions.length === 1 ? actionTitle(actions[0]!) : item.command,
    kind,
    ...(locations.length > 0 && { locations }),
    rawInput: { command: item.command, cwd: item.cwd },
    ...(finished && item.aggregatedOutput != null && { content: [textContent(item.aggregatedOutput)] }),
    ...(finished && { rawOutput: { exitCode: item.exitCode, durationMs: item.durationMs } }),
  };
}

function actionTitle(action: CommandAction): string {
  switch (action.type) {
    case 'read':
      return `Read ${action.name}`;
    case 'listFiles':
      return `List ${action.path ?? '.'}`;
    case 'search':
      return `Search ${action.query ?? ''}${action.path === null ? '' : ` in ${action.path}`}`.trim();
    default:
      return action.command;
  }
}

function actionPath(action: CommandAction, cwd: string): ToolCallLocation[] {
  const where = action.type === 'read' || action.type === 'listFiles' || action.type === 'search' ? action.path : null;
  return where == null ? [] : [{ path: path.resolve(cwd, where) }];
}

function webSearchCall(item: Item<'webSearch'>): CallShape {
  const action = item.action;
  if (action?.type === 'openPage' || action?.type === 'findInPage') return { toolCallId: item.id, title: `Fetch ${action.url ?? item.query}`, kind: 'fetch', rawInput: { query: item.query, action } };
  return { toolCallId: item.id, title: `Search: ${item.query}`, kind: 'search', rawInput: { query: item.query, ...(action !== null && { action }) } };
}

function fileChangeCall(item: Item<'fileChange'>): CallShape {
  const changes = item.changes;
  const kind: ToolKind = changes.length > 0 && changes.every((c) => c.kind.type === 'delete') ? 'delete' : changes.length > 0 && changes.every((c) => movedTo(c) !== null) ? 'move' : 'edit';
  return {
    toolCallId: item.id,
    title: changes.map(changeTitle).join(', ') || 'Edit files',
    kind,
    locations: changes.flatMap(changeLocations),
    content: changes.flatMap(changeContent),
  };
}

/** The file (and where it moves to); an update also at the line its first hunk starts in the new file. */
function changeLocations(change: FileChange): ToolCallLocation[] {
  const moved = movedTo(change);
  const line = change.kind.type === 'update' ? firstNewLine(change.diff) : null;
  const at = line === null ? {} : { line };
  return moved === null ? [{ path: change.path, ...at }] : [{ path: change.path }, { path: moved, ...at }];
}

/** The 1-based line of a unified diff's first hunk in the new file (`@@ -a,b +c,d @@`), as ACP's locations count. */
function firstNewLine(diff: string): number | null {
  const start = /^@@ -\d+(?:,\d+)? \+(\d+)/m.exec(diff)?.[1];
  return start === undefined ? null : Math.max(1, Number(start));
}

function movedTo(change: FileChange): string | null {
  return change.kind.type === 'update' ? change.kind.move_path : null;
}

function changeTitle(change: FileChange): string {
  const moved = movedTo(change);
  if (moved !== null) return `Move ${change.path} → ${moved}`;
  return `${change.kind.type === 'add' ? 'Add' : change.kind.type === 'delete' ? 'Delete' : 'Edit'} ${change.path}`;
}

/**
 * What is known of a change before it is written: an added file's whole content (oldText null), a
 * deleted file's whole old content, and an update's hunks (each hunk's old and new lines, as editors
 * show an edit's snippets). The whole before and after follow in the item's write intent.
 */
function changeContent(change: FileChange): ToolCallContent[] {
  const moved = movedTo(change);
  switch (change.kind.type) {
    case 'add':
      return [{ type: 'diff', path: change.path, oldText: null, newText: change.diff }];
    case 'delete':
      return [{ type: 'diff', path: change.path, oldText: change.diff, newText: '' }];
    default:
      return hunks(change.diff).map((hunk) => ({ type: 'diff', path: moved ?? change.path, oldText: hunk.oldText, newText: hunk.newText }));
  }
}

/** The old and new sides of each `@@` hunk of a unified diff. */
export function hunks(diff: string): Array<{ oldText: string; newText: string }> {
  const out: Array<{ old: string[]; new: string[] }> = [];
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) out.push({ old: [], new: [] });
    const hunk = out.at(-1);
    if (hunk === undefined || line.startsWith('@@') || line.startsWith('\\')) continue;
    if (line.startsWith('-') || line.startsWith(' ')) hunk.old.push(line.slice(1));
    if (line.startsWith('+') || line.startsWith(' ')) hunk.new.push(line.slice(1));
  }
  return out.map((hunk) => ({ oldText: hunk.old.join('\n'), newText: hunk.new.join('\n') }));
}

export function textContent(text: string): ToolCallContent {
  return { type: 'content', content: { type: 'text', text } };
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
