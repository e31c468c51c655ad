// How a tool item goes back to a model on the next call: as the call it was (name and arguments as
// the model sent them) with what the model was told, when the model speaks the same tool family;
// translated into the model's own tools otherwise (a command ran with `exec_command` becomes a
// `bash` call for Claude), or told as text where nothing matches. So a thread moves between
// providers with its tool history intact.
import type { ToolFamily } from '../core/events.js';
import type { ThreadItem } from '../core/protocol-types.js';
import type { ItemState } from '../core/state.js';
import type { ConversationItem } from '../providers/types.js';
import { capForModel } from './exec/output-caps.js';
import { shellScript } from './exec/shell.js';

export type Replayed =
  /** A call and its result; `after` follows the results of the calls made beside it (an image to see). */
  | { kind: 'call'; call: ConversationItem; result: ConversationItem; after: ConversationItem[] }
  | { kind: 'messages'; messages: ConversationItem[] };

/** The shell tool of each family, and how its arguments name the command. */
const SHELL: Record<ToolFamily, { name: string; args: (command: string, cwd: string) => object }> = {
  openai: { name: 'exec_command', args: (command, cwd) => ({ cmd: command, workdir: cwd }) },
  anthropic: { name: 'bash', args: (command) => ({ command }) },
  generic: { name: 'shell', args: (command, cwd) => ({ command, workdir: cwd }) },
};

type ImageReader = (path: string) => Promise<ConversationItem>;

/** Null for items that are not tool items. `image` turns an imageView's path into what the model sees. */
export async function replayToolItem(entry: ItemState, family: ToolFamily, image: ImageReader): Promise<Replayed | null> {
  const { item, call } = entry;
  switch (item.type) {
    case 'commandExecution': {
      const output = entry.modelOutput ?? describeCommandOutput(item);
      // The model's own shell tool wraps the script again: give it the script, not `bash -lc '…'`.
      const script = shellScript(item.command) ?? item.command;
      if (call === undefined || item.source === 'userShell') {
        // The user's own command reaches the model as the user's message, as Codex records it.
        const text = `<user_shell_command>\n<command>\n${script}\n</command>\n<cwd>${item.cwd}</cwd>\n<result>\n${output}\n</result>\n</user_shell_command>`;
        return { kind: 'messages', messages: [{ type: 'user', content: [{ type: 'text', text }] }] };
      }
      if (call.family === family) return pair(call.callId, call.name, call.arguments, output, undefined, call.freeform);
      if (item.source === 'unifiedExecInteraction') {
        // Input to a command still running has no form in the other tools: it is told in words.
        return messages(`I wrote ${JSON.stringify(writtenChars(call.arguments))} to the command still running (session ${item.processId}): ${script}`, output);
      }
      const shell = SHELL[family];
      return pair(call.callId, shell.name, JSON.stringify(shell.args(script, item.cwd)), output);
    }
    case 'fileChange': {
      const output = entry.modelOutput ?? (item.status === 'completed' ? 'Done.' : `The change was ${item.status}.`);
      if (call?.family === family) return pair(call.callId, call.name, call.arguments, output, undefined, call.freeform);
      const diff = item.changes.map((change) => change.diff).join('\n');
      if (family !== 'anthropic' && call) return pair(call.callId, 'apply_patch', JSON.stringify({ input: diff }), output);
      return messages(`I changed files:\n${diff}`, output);
    }
    case 'plan': {
      if (call === undefined) return null;
      // Every family's plan tool is update_plan with the same arguments.
      return pair(call.callId, 'update_plan', call.arguments, entry.modelOutput ?? 'Plan updated');
    }
    case 'imageView': {
      const output = entry.modelOutput ?? `Image attached: ${item.path}`;
      const after = output.startsWith('Error') ? [] : [await image(item.path)];
      if (call === undefined) return { kind: 'messages', messages: after };
      const name = call.family === family ? call.name : family === 'openai' ? 'view_image' : null;
      if (name === null) return messages(`I looked at the image ${item.path}.`, output, after);
      const replayed = pair(call.callId, name, call.arguments, output) as Extract<Replayed, { kind: 'call' }>;
      return { ...replayed, after };
    }
    case 'mcpToolCall': {
      const content = (item.result?.content ?? []) as Array<{ type?: string; data?: string; mimeType?: string }>;
      const output = entry.modelOutput ?? (item.error ? `Error: ${item.error.message}` : JSON.stringify(content));
      // Images a tool returned follow its result as images, which every provider accepts in a user message.
      const images = content.filter((part) => part.type === 'image' && typeof part.data === 'string');
      const after: ConversationItem[] =
        images.length === 0 ? [] : [{ type: 'user', content: images.map((image) => ({ type: 'image' as const, url: `data:${image.mimeType ?? 'image/png'};base64,${image.data}` })) }];
      if (call === undefined) return null;
      const replayed = pair(call.callId, call.name, call.arguments, output, item.status === 'failed') as Extract<Replayed, { kind: 'call' }>;
      return { ...replayed, after };
    }
    case 'dynamicToolCall': {
      const output = entry.modelOutput ?? (item.contentItems ?? []).map((content) => ('text' in content ? content.text : '')).join('\n');
      // The id the model sent goes back (an item's own id differs when the model sent none, or one twice).
      return pair(call?.callId ?? item.id, item.tool, JSON.stringify(item.arguments ?? {}), output, item.success === false);
    }
    default:
      return null;
  }
}

/**
 * A tool result in the history the model is sent is kept within this many tokens (head and tail,
 * the cut said so): a huge result (an MCP server's, a client tool's) must not crowd out the rest.
 * The item the client reads keeps it whole.
 */
export const HISTORY_RESULT_MAX_TOKENS = 16_000;

function pair(callId: string, name: string, args: string, output: string, isError = output.startsWith('Error'), freeform = false): Replayed {
  return {
    kind: 'call',
    call: { type: 'toolCall', callId, name, arguments: args, ...(freeform && { freeform: true }) },
    result: { type: 'toolResult', callId, output: capForModel(output, { maxTokens: HISTORY_RESULT_MAX_TOKENS }), isError },
    after: [],
  };
}

/** A tool outcome the model's own tools cannot express, told as an exchange in words. */
function messages(said: string, output: string, after: ConversationItem[] = []): Replayed {
  return {
    kind: 'messages',
    messages: [
      { type: 'assistant', text: said },
      { type: 'user', content: [{ type: 'text', text: `Result:\n${output}` }] },
      ...after,
    ],
  };
}

function writtenChars(args: string): string {
  try {
    const chars = (JSON.parse(args) as { chars?: unknown }).chars;
    return typeof chars === 'string' ? chars : '';
  } catch {
    return '';
  }
}

function describeCommandOutput(item: Extract<ThreadItem, { type: 'commandExecution' }>): string {
  const status = item.exitCode === null ? `status: ${item.status}` : `exit code: ${item.exitCode}`;
  return `${status}\n${item.aggregatedOutput ?? ''}`.trimEnd();
}
