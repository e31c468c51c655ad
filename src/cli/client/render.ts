// How `keel exec` and `keel show` write a thread's items for a person: one compact line per tool
// item (command, file change, tool call), the command as the model wrote it rather than its shell.
import type { ThreadItem } from '../../core/protocol-types.js';
import path from 'node:path';
import { shellScript } from '../../tools/exec/shell.js';

type Item = ThreadItem;

const mark = (status: string) => (status === 'completed' ? '✓' : status === 'declined' ? '⊘ declined' : status === 'inProgress' ? '…' : '✗');

/** The command as the model wrote it (`bash -lc '…'` unwrapped). */
export function commandText(command: string): string {
  return shellScript(command) ?? command;
}

function oneLine(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A path as a person reads it: relative when it is under the current directory. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One line for a tool item, or null for items that are not tools (messages, reasoning). */
export function toolLine(item: Item): string | null {
  switch (item.type) {
    case 'commandExecution': {
      const exit = item.exitCode === null ? '' : ` exit ${item.exitCode}`;
      const time = item.durationMs === null ? '' : ` ${item.durationMs} ms`;
      return `$ ${oneLine(commandText(item.command))}  ${mark(item.status)}${exit}${time}`;
    }
    case 'fileChange':
      return `✎ ${item.changes.map((change) => `${shownPath(change.path)} (${change.kind.type})`).join(', ') || '(no files)'}  ${mark(item.status)}`;
    case 'dynamicToolCall':
      return `⚙ ${item.namespace ? `${item.namespace}.` : ''}${item.tool}(${oneLine(JSON.stringify(item.arguments ?? {}), 80)})  ${mark(item.status)}`;
    case 'mcpToolCall':
      return `⚙ ${item.server}.${item.tool}  ${mark(item.status)}`;
    case 'imageView':
      return `🖼 ${item.path}`;
    case 'webSearch':
      return `🔎 ${item.query}`;
    default:
      return null;
  }
}

/** A thread's item as `keel show` prints it: messages in full, tools as their line (commands with their output's tail). */
export function itemText(item: Item): string | null {
  switch (item.type) {
    case 'userMessage':
      return `> ${item.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join(' ')}`;
    case 'agentMessage':
      return item.text;
    case 'plan':
      return `Plan:\n${item.text}`;
    case 'reasoning':
      return item.summary.length > 0 ? `(thinking: ${oneLine(item.summary.join(' '), 200)})` : null;
    case 'commandExecution': {
      const output = (item.aggregatedOutput ?? '').trimEnd();
      const lines = output === '' ? [] : output.split('\n');
      const shown = lines.length > 8 ? [...lines.slice(0, 3), `  … ${lines.length - 6} more lines`, ...lines.slice(-3)] : lines;
      return [toolLine(item), ...shown.map((line) => `  ${line}`)].join('\n');
    }
    default:
      return toolLine(item);
  }
}
