// Tools the client runs. The thread's dynamic tools (thread/start.dynamicTools, experimental) are
// offered to the model as functions; a call becomes a `dynamicToolCall` item and a clientToolCall
// question to the client, and the client's content goes back to the model. In Plan mode the model
// may also ask the user questions (`request_user_input`): a userInput question (the thread waits on
// user input meanwhile), whose answers go back to the model as JSON.
import { normaliseArguments, schemaFields } from '../../tools/call-arguments.js';
import type { DynamicToolSpec, ThreadItem } from '../../core/protocol-types.js';
import type { ToolDefinition } from '../../providers/types.js';
import type { ToolCall, ToolContext, ToolResult } from '../../tools/tool.js';
import { askClients, askRecorded, type AskContext, type Unanswered } from '../client-requests.js';
import { UserQuestion } from '../questions.js';

export const REQUEST_USER_INPUT = 'request_user_input';

const QUESTIONS_SCHEMA = {
  type: 'object',
  properties: {
    questions: {
      type: 'array',
      description: 'One to three short questions for the user.',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'A stable id for the answer (snake_case).' },
          header: { type: 'string', description: 'A short label (12 characters at most).' },
          question: { type: 'string', description: 'The question, in one sentence.' },
          options: {
            type: 'array',
            description: 'Two or three mutually exclusive choices; put the recommended one first and add "(Recommended)" to its label.',
            items: { type: 'object', properties: { label: { type: 'string' }, description: { type: 'string' } }, required: ['label', 'description'] },
          },
        },
        required: ['id', 'header', 'question'],
      },
    },
  },
  required: ['questions'],
};

type DynamicFunction = { name: string; description: string; inputSchema: unknown; namespace: string | null };

function flatten(specs: readonly DynamicToolSpec[]): DynamicFunction[] {
  return specs.flatMap((spec): DynamicFunction[] =>
    spec.type === 'function'
      ? [{ name: spec.name, description: spec.description, inputSchema: spec.inputSchema, namespace: null }]
      : spec.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema, namespace: spec.name })),
  );
}

/** What the model is offered besides Keel's own tools. */
export function clientToolDefinitions(specs: readonly DynamicToolSpec[] | undefined, planMode: boolean): ToolDefinition[] {
  const dynamic = flatten(specs ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: (typeof tool.inputSchema === 'object' && tool.inputSchema !== null ? tool.inputSchema : { type: 'object', properties: {} }) as Record<string, unknown>,
  }));
  const ask = planMode
    ? [{ name: REQUEST_USER_INPUT, description: 'Ask the user one to three short questions when the project cannot tell you the answer, and wait for the answers.', parameters: QUESTIONS_SCHEMA }]
    : [];
  return [...dynamic, ...ask];
}

/** How a call the model made is run by the client, or null when it is one of Keel's own tools. */
export function clientToolFor(call: ToolCall, specs: readonly DynamicToolSpec[] | undefined, planMode: boolean): ((ctx: ToolContext, ask: AskContext) => Promise<ToolResult>) | null {
  if (planMode && call.name === REQUEST_USER_INPUT) return (ctx, ask) => requestUserInput(call, ctx, ask);
  const tool = flatten(specs ?? []).find((candidate) => candidate.name === call.name);
  return tool ? (ctx, ask) => dynamicToolCall(call, tool, ctx, ask) : null;
}

/**
 * A call's arguments as JSON (empty text is `{}`); undefined when they are not JSON. With the
 * tool's input schema, normalised as Keel's own tools' are (a JSON string, one level too deep,
 * other spellings of its fields: tools/call-arguments.ts).
 */
export function argumentsOf(call: Pick<ToolCall, 'arguments'>, inputSchema?: unknown): unknown {
  let value: unknown;
  try {
    value = call.arguments.trim() === '' ? {} : (JSON.parse(call.arguments) as unknown);
  } catch {
    return undefined;
  }
  return inputSchema === undefined ? value : normaliseArguments(value, { fields: schemaFields(inputSchema) });
}

export type DynamicToolItem = Extract<ThreadItem, { type: 'dynamicToolCall' }>;

/** A call Keel records as a dynamicToolCall item (a client's tool, request_user_input, the goal
 * tools), as it starts: the arguments as parsed, else as the model sent them. */
export function startedToolItem(id: string, namespace: string | null, tool: string, args: unknown, call: ToolCall): DynamicToolItem {
  return { type: 'dynamicToolCall', id, namespace, tool, arguments: (args ?? call.arguments) as never, status: 'inProgress', contentItems: null, success: null, durationMs: null };
}

/** The item ended with one text, which is also what the model reads. */
export function endedToolItem(item: DynamicToolItem, text: string, success: boolean, durationMs: number): ToolResult {
  return { item: { ...item, status: success ? 'completed' : 'failed', success, contentItems: [{ type: 'inputText', text }], durationMs }, output: text };
}

const unansweredText: Record<Unanswered, string> = {
  timeout: 'the client did not answer in time (keel.approval_timeout_ms)',
  turnEnded: 'the turn ended before the client answered',
  noClient: 'no connected client can run it',
};

async function dynamicToolCall(call: ToolCall, tool: DynamicFunction, ctx: ToolContext, ask: AskContext): Promise<ToolResult> {
  const args = argumentsOf(call, tool.inputSchema);
  const item = startedToolItem(call.callId, tool.namespace, tool.name, args, call);
  ctx.report.start(item);
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  if (args === undefined) {
    const text = `Error: the arguments of ${tool.name} are not valid JSON; call it again with a JSON object`;
    return { item: { ...item, status: 'failed', success: false, contentItems: [{ type: 'inputText', text }], durationMs: 0 }, output: text };
  }
  const { outcome } = await askClients(ask, { kind: 'clientToolCall', threadId: ctx.threadId, turnId: ctx.turnId, callId: call.callId, namespace: tool.namespace, tool: tool.name, input: args });
  if (!('answered' in outcome) || outcome.answered === null) {
    const why = 'answered' in outcome ? 'the client answered with an error or a malformed result' : unansweredText[outcome.unanswered];
    const text = `Error: ${tool.name} did not run: ${why}`;
    return { item: { ...item, status: 'failed', success: false, contentItems: [{ type: 'inputText', text }], durationMs: durationMs() }, output: text };
  }
  const { contentItems, success } = outcome.answered;
  const output = contentItems.map((content) => (content.type === 'inputText' ? content.text : `[${content.type}]`)).join('\n');
  return { item: { ...item, status: success ? 'completed' : 'failed', success, contentItems, durationMs: durationMs() }, output };
}

async function requestUserInput(call: ToolCall, ctx: ToolContext, ask: AskContext): Promise<ToolResult> {
  const args = argumentsOf(call) as { questions?: unknown } | undefined;
  const questions = UserQuestion.array().safeParse(
    Array.isArray(args?.questions) ? args.questions.map((q: Record<string, unknown>) => ({ isOther: true, isSecret: false, ...q })) : undefined,
  );
  // Recorded as a dynamicToolCall item (Codex shows none), so the call and its answers stay in the thread's history.
  const item = startedToolItem(call.callId, null, REQUEST_USER_INPUT, args, call);
  const started = performance.now();
  const ended = (text: string, success: boolean): ToolResult => endedToolItem(item, text, success, Math.round(performance.now() - started));
  if (!questions.success) {
    ctx.report.start(item);
    return ended('Error: request_user_input needs {"questions": [{"id", "header", "question", "options"?}]}; call it again', false);
  }
  const outcome = await askRecorded(
    ask,
    { kind: 'userInput', threadId: ctx.threadId, turnId: ctx.turnId, itemId: call.callId, questions: questions.data },
    {
      kind: 'userInput',
      itemId: call.callId,
      subject: questions.data.map((q) => q.question).join('\n'),
      reason: null,
      describe: (answer) => (answer === null ? 'malformed' : JSON.stringify(answer.answers)),
      fallback: 'none',
    },
  );
  ctx.report.start(item);
  if ('answered' in outcome && outcome.answered !== null) return ended(JSON.stringify(outcome.answered), true);
  const why = 'answered' in outcome ? 'the client answered with an error or a malformed result' : unansweredText[outcome.unanswered];
  return ended(`The user did not answer: ${why}. Go on with your best assumption and say what you assumed.`, false);
}
