// Request parity with Codex on the Responses wire: the same two turns (gpt-5.1-codex on a custom
// Responses provider; turn 1 the model runs `echo hi` with exec_command and answers, turn 2 another
// message) through Keel, compared field by field with the three bodies Codex 0.169.0 sent
// (tests/fixtures/codex-requests/). Every difference is in PARITY_ALLOWED, with its reason; a new
// one, or one that went away, fails the test. app-server.md ("What Keel sends to models
// (Responses)") explains each.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

type Json = Record<string, any>;

const fake = useFakeModelServer();
const codex = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/codex-requests/responses-tool-loop.json'), 'utf8')) as Json[];

const FIRST_PROMPT = 'run tool please';
const SECOND_PROMPT = 'second turn';

/** The differences Keel keeps on purpose, each with why. Keys name what differs (and how). */
const PARITY_ALLOWED: Record<string, string> = {
  'client_metadata (Codex only)': "Codex's session, turn and installation ids for its own backend; Keel has no such backend to report to",
  'tools (Codex only): request_user_input, multi_agent_v1, web_search':
    'tools Keel does not have: plan-mode questions are asked differently, no sub-agents or hosted web search',
  'tools (Keel only): apply_patch, update_plan': "Keel offers Codex's freeform apply_patch and update_plan to every gpt-5 model; Codex 0.169.0 offered neither to a custom provider's gpt-5.1-codex",
  // Keel's schemas are generated from its argument validators (nullable types, integer bounds, no
  // additionalProperties) and some descriptions are its own; names, types and required are Codex's.
  'tools.exec_command: the same arguments, worded otherwise': "the schema is generated from Keel's validator",
  'tools.write_stdin: the same arguments, worded otherwise': "the schema is generated from Keel's validator",
  'tools.view_image: the same arguments, worded otherwise': "the schema is generated from Keel's validator; Keel's description",
  'tools.get_goal: the same arguments, worded otherwise': "Keel's description",
  'tools.create_goal: the same arguments, worded otherwise': "Keel's descriptions",
  'tools.update_goal: the same arguments, worded otherwise': "Keel's descriptions",
  'context: Codex developer message, developer message, user message; Keel developer message, user message':
    "Codex's context is its instructions and a second developer message (permissions, collaboration mode), then <environment_context>; Keel's is its prompt, then <environment_context>",
  'input items: Codex gives id, status': 'Codex sends its own item ids back (and output items their status); with store: false nothing is looked up by them, Keel keeps none',
  'input assistant message content: Codex output_text parts, Keel a string': 'both are valid input; a string replays model output without inventing output-item ids',
  'input function_call_output output': "the command's output text: Codex's begins with a `Chunk ID:` line (and the wall time differs); the rest is the same",
};

const kind = (item: Json) => (item.type === 'message' ? `${item.role} message` : String(item.type));
const names = (tools: Json[]) => tools.map((tool) => String(tool.name ?? tool.type));
const textOf = (item: Json) => (Array.isArray(item.content) ? item.content[0]?.text : item.content);
/** Where the conversation starts: the first prompt; before it is the context each sends first. */
const split = (input: Json[]) => {
  const at = input.findIndex((item) => item.role === 'user' && textOf(item) === FIRST_PROMPT);
  return { context: input.slice(0, at), conversation: input.slice(at) };
};
const without = (item: Json, keys: string[]) => Object.fromEntries(Object.entries(item).filter(([key]) => !keys.includes(key)));

/** Every difference between one Codex body and Keel's, by name (see PARITY_ALLOWED); fields only Codex's input items have go to `codexGives`. */
function differences(theirs: Json, ours: Json, codexGives: Set<string>): string[] {
  const out = new Set<string>();
  for (const key of new Set([...Object.keys(theirs), ...Object.keys(ours)])) {
    if (['input', 'tools', 'prompt_cache_key'].includes(key)) continue;
    if (!(key in ours)) out.add(`${key} (Codex only)`);
    else if (!(key in theirs)) out.add(`${key} (Keel only)`);
    else if (!isDeepStrictEqual(theirs[key], ours[key])) out.add(key);
  }
  const [theirTools, ourTools] = [names(theirs.tools), names(ours.tools)];
  const codexOnly = theirTools.filter((name) => !ourTools.includes(name));
  const keelOnly = ourTools.filter((name) => !theirTools.includes(name));
  if (codexOnly.length > 0) out.add(`tools (Codex only): ${codexOnly.join(', ')}`);
  if (keelOnly.length > 0) out.add(`tools (Keel only): ${keelOnly.join(', ')}`);
  for (const name of theirTools.filter((name) => ourTools.includes(name))) {
    const pick = (tools: Json[]) => tools.find((tool) => tool.name === name)!;
    const [a, b] = [pick(theirs.tools), pick(ours.tools)];
    if (isDeepStrictEqual(a, b)) continue;
    const shape = (tool: Json) => ({ type: tool.type, arguments: Object.keys(tool.parameters.properties).sort(), required: tool.parameters.required, strict: tool.strict });
    out.add(isDeepStrictEqual(shape(a), shape(b)) ? `tools.${name}: the same arguments, worded otherwise` : `tools.${name}: other arguments`);
  }
  const [their, our] = [split(theirs.input), split(ours.input)];
  const [theirKinds, ourKinds] = [their.context.map(kind), our.context.map(kind)];
  if (!isDeepStrictEqual(theirKinds, ourKinds)) out.add(`context: Codex ${theirKinds.join(', ')}; Keel ${ourKinds.join(', ')}`);
  if (!isDeepStrictEqual(their.conversation.map(kind), our.conversation.map(kind))) out.add('conversation item kinds');
  for (const [index, item] of their.conversation.entries()) {
    const mine = our.conversation[index];
    if (mine === undefined) continue;
    const extra = Object.keys(item).filter((key) => !(key in mine));
    for (const key of extra) codexGives.add(key);
    const [a, b] = [without(item, extra), mine];
    if (kind(item) === 'assistant message' && Array.isArray(a.content) && typeof b.content === 'string') {
      if (isDeepStrictEqual(a.content, [{ type: 'output_text', text: b.content, annotations: [] }])) out.add('input assistant message content: Codex output_text parts, Keel a string');
      a.content = b.content;
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!isDeepStrictEqual(a[key], b[key])) out.add(`input ${kind(item)} ${key}`);
    }
  }
  return [...out];
}

describe('request parity with Codex 0.169.0 on the Responses wire', () => {
  it('sends the same fields for the same two turns, except the documented differences', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_1', 'exec_command', '{"cmd":"echo hi"}')]) },
      { sse: wire.stream([wire.message('done')]) },
      { sse: wire.stream([wire.message('ok')]) },
    ]);
    const config = ['model_provider = "fake"', 'model = "gpt-5.1-codex"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "responses"'];
    const { keel, threadId } = await keelWithThread({ config, thread: FULL_ACCESS, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
    expect(turnOf(await runTurn(keel, threadId, FIRST_PROMPT))).toMatchObject({ status: 'completed', error: null });
    expect(turnOf(await runTurn(keel, threadId, SECOND_PROMPT))).toMatchObject({ status: 'completed', error: null });
    const keelBodies = fake.calls.map((call) => call.body as Json);
    expect(keelBodies).toHaveLength(codex.length);

    // The settings each sends, value for value; the cache key is each one's thread id.
    const SETTINGS = ['model', 'stream', 'store', 'include', 'parallel_tool_calls', 'tool_choice', 'reasoning'];
    const settings = (body: Json) => Object.fromEntries(SETTINGS.map((key) => [key, body[key]]));
    expect(keelBodies.map(settings)).toEqual(codex.map(settings));
    expect(codex.map((body) => body.prompt_cache_key)).toEqual(codex.map((body) => body.client_metadata.thread_id));
    expect(keelBodies.map((body) => body.prompt_cache_key)).toEqual([threadId, threadId, threadId]);
    expect(settings(keelBodies[0]!)).toEqual({
      model: 'gpt-5.1-codex',
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      parallel_tool_calls: true,
      tool_choice: 'auto',
      reasoning: { summary: 'auto' },
    });

    // The conversation, item kind for item kind; each request's input begins with the previous one's.
    const conversationKinds = (body: Json) => split(body.input).conversation.map(kind);
    expect(keelBodies.map(conversationKinds)).toEqual(codex.map(conversationKinds));
    expect(conversationKinds(keelBodies[2]!)).toEqual(['user message', 'function_call', 'function_call_output', 'assistant message', 'user message']);
    for (const bodies of [codex, keelBodies]) {
      expect([1, 2].map((i) => bodies[i]!.input.slice(0, bodies[i - 1]!.input.length))).toEqual([bodies[0]!.input, bodies[1]!.input]);
    }

    // Everything else: exactly the documented differences.
    const codexGives = new Set<string>();
    const found = new Set(codex.flatMap((body, i) => differences(body, keelBodies[i]!, codexGives)));
    found.add(`input items: Codex gives ${[...codexGives].sort().join(', ')}`);
    expect([...found].sort()).toEqual(Object.keys(PARITY_ALLOWED).sort());
  });
});
