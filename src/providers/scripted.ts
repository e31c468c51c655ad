// The built-in offline provider, for demos, tests and benchmarks. With a script (a JSON file named
// by KEEL_SCRIPT or `keel.script`) it replays the scripted responses in order — text, reasoning,
// tool calls, failures — and fails clearly once the script is used up. Without one it answers
// every turn by saying what it is and echoing the user's last message.
import fs from 'node:fs';
import { ProviderError, type ConversationItem, type ModelEvent, type ModelInfo, type ModelProvider, type ModelRequest, type ProviderErrorKind } from './types.js';

export type ScriptStep =
  | { text: string }
  | { repeatText: { text: string; count: number } }
  | { reasoningSummary: string; index?: number }
  | { reasoningText: string; index?: number }
  | { blockEnd: true }
  | { toolCall: { name: string; arguments?: unknown; callId?: string } }
  | { error: { kind: ProviderErrorKind; message?: string; retryAfterMs?: number } }
  | { stall: true };

export interface Script {
  responses: ScriptStep[][];
}

export const SCRIPTED_MODEL = 'scripted';

export const SCRIPTED_MODEL_INFO: ModelInfo = {
  id: SCRIPTED_MODEL,
  displayName: 'Scripted (offline)',
  contextWindow: 1_000_000,
  supportsReasoning: true,
  supportsImages: true,
  supportsTools: true,
};

/** The script in `file`; a file that does not load fails the turn (not retried), naming the file. */
export function loadScript(file: string): Script {
  const text = fs.readFileSync(file, 'utf8');
  let parsed: Script | ScriptStep[][];
  try {
    parsed = JSON.parse(text) as Script | ScriptStep[][];
  } catch (error) {
    throw new ProviderError(`script ${file} is not valid JSON: ${jsonProblem((error as Error).message, text)}`, 'other', { retryable: false });
  }
  const script = Array.isArray(parsed) ? { responses: parsed } : parsed;
  if (!Array.isArray(script?.responses)) throw new ProviderError(`script ${file}: expected {"responses": [[step, …], …]}`, 'other', { retryable: false });
  return script;
}

/**
 * Why JSON.parse refused `text`, and where, without the pieces of it V8 quotes (a script may hold
 * keys or private data): `Unexpected token 's', "sk-…"… is not valid JSON` becomes `Unexpected
 * token`; `… in JSON at position 44` becomes `… at line 1, column 45`.
 */
function jsonProblem(message: string, text: string): string {
  if (message.startsWith('Unexpected token')) return 'Unexpected token';
  const position = /^(.*?) (?:in JSON )?at position (\d+)/.exec(message);
  if (position === null) return message.replace(/["'].*$/s, '').trim() || 'not valid JSON';
  const at = Number(position[2]);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length;
  return `${position[1]} at line ${line}, column ${at - lineStart + 1}`;
}

function lastUserText(conversation: ConversationItem[]): string {
  for (let i = conversation.length - 1; i >= 0; i--) {
    const item = conversation[i]!;
    if (item.type === 'user') return item.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join(' ');
  }
  return '';
}

function echoSteps(request: ModelRequest): ScriptStep[] {
  const said = lastUserText(request.conversation);
  return [
    { text: 'Keel is running on its built-in scripted provider (no model API key is configured). ' },
    { text: `You said: ${said}` },
  ];
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function createScriptedProvider(script: Script | null): ModelProvider {
  let next = 0;
  return {
    id: 'scripted',
    // Scripts call Codex's tools (exec_command, apply_patch…): the OpenAI toolset.
    toolFamily: 'openai',
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent[]> {
      let steps: ScriptStep[];
      if (script === null) steps = echoSteps(request);
      else {
        const response = script.responses[next++];
        if (response === undefined) {
          throw new ProviderError(`scripted provider: the script has no response ${next} (it holds ${script.responses.length})`, 'badRequest', { retryable: false });
        }
        steps = response;
      }
      let output = 0;
      let toolCalls = 0;
      for (const step of steps) {
        if (signal.aborted) throw signal.reason;
        if ('text' in step) {
          output += step.text.length;
          yield [{ type: 'text', delta: step.text }];
        } else if ('repeatText' in step) {
          // In batches of 100, like reads from a network stream.
          for (let i = 0; i < step.repeatText.count; i += 100) {
            const size = Math.min(100, step.repeatText.count - i);
            yield Array.from({ length: size }, (): ModelEvent => ({ type: 'text', delta: step.repeatText.text }));
          }
          output += step.repeatText.text.length * step.repeatText.count;
        } else if ('reasoningSummary' in step) {
          yield [{ type: 'reasoningSummary', index: step.index ?? 0, delta: step.reasoningSummary }];
        } else if ('reasoningText' in step) {
          yield [{ type: 'reasoningText', index: step.index ?? 0, delta: step.reasoningText }];
        } else if ('blockEnd' in step) {
          yield [{ type: 'blockEnd' }];
        } else if ('toolCall' in step) {
          toolCalls++;
          const { name, arguments: args, callId } = step.toolCall;
          yield [{ type: 'toolCall', callId: callId ?? `call_${next}_${toolCalls}`, name, arguments: JSON.stringify(args ?? {}) }];
        } else if ('error' in step) {
          const { kind, message, retryAfterMs } = step.error;
          throw new ProviderError(message ?? `scripted ${kind}`, kind, { retryAfterMs: retryAfterMs ?? null });
        } else if ('stall' in step) {
          await waitForAbort(signal);
        }
      }
      // Token counts are estimates (4 characters a token): the script has no tokenizer.
      const input = Math.ceil(JSON.stringify(request.conversation).length / 4);
      const outputTokens = Math.ceil(output / 4);
      const usage = { inputTokens: input, cachedInputTokens: 0, cacheWriteInputTokens: 0, outputTokens, reasoningOutputTokens: 0, totalTokens: input + outputTokens };
      yield [
        { type: 'usage', usage },
        { type: 'completed', stopReason: toolCalls > 0 ? 'toolCalls' : 'stop' },
      ];
    },
    async listModels(): Promise<ModelInfo[]> {
      return [SCRIPTED_MODEL_INFO];
    },
  };
}
