// What the model may call during a turn. Keel's own tools arrive with the sandbox; until then every
// call gets a clear "unknown tool" result that the model sees, recorded as a failed tool-call item.
import type { ThreadItem } from '../../core/protocol-types.js';
import type { ToolDefinition } from '../../providers/types.js';
import type { ToolCallRequest } from './response-recorder.js';

export interface ToolOutcome {
  /** The item as completed. */
  item: ThreadItem;
}

export interface ToolHost {
  definitions(): ToolDefinition[];
  /** The item to show while the call runs, then its outcome. */
  started(call: ToolCallRequest): ThreadItem;
  run(call: ToolCallRequest, signal: AbortSignal): Promise<ToolOutcome>;
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw === '' ? '{}' : raw);
  } catch {
    return raw;
  }
}

export const noTools: ToolHost = {
  definitions: () => [],
  started: (call) => ({
    type: 'dynamicToolCall',
    id: call.callId,
    tool: call.name,
    arguments: parseArguments(call.arguments) as never,
    status: 'inProgress',
    contentItems: null,
    success: null,
    durationMs: null,
  }),
  run: async (call) => ({
    item: {
      type: 'dynamicToolCall',
      id: call.callId,
      tool: call.name,
      arguments: parseArguments(call.arguments) as never,
      status: 'failed',
      contentItems: [{ type: 'inputText', text: `unknown tool: ${call.name}` }],
      success: false,
      durationMs: 0,
    },
  }),
};
