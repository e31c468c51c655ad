// Client-side tools over stdio (experimental API), in Codex's order: a dynamic tool the client
// declared on thread/start is called through item/tool/call inside its dynamicToolCall item; in
// Plan mode the model's questions reach the user through item/tool/requestUserInput while the
// thread waits on user input. What the client answers reaches the model.
import { describe, expect, it } from 'vitest';
import { answerRequest, between, isServerRequest, statuses } from '../helpers/approvals.js';
import { initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, methods, params, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

const lookup = { type: 'function', name: 'lookup_answer', description: 'Look up the answer', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } };

async function start(thread: Record<string, unknown>) {
  const keel = spawnKeel({ home: makeTempHome(), env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel, { experimentalApi: true });
  const started = await keel.request('thread/start', { ...FULL_ACCESS, ...thread } as never);
  return { keel, threadId: started.thread.id };
}

const outputOf = (index: number, callId: string) =>
  (conversationBody(fake.calls[index]!).input as Array<Record<string, any>>).find((e) => e.type === 'function_call_output' && e.call_id === callId)?.output;

describe('client-side tools', () => {
  it('a dynamic tool: offered to the model, run by the client through item/tool/call, its content returned', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_7', 'lookup_answer', '{"q":"life"}')]) },
      { sse: wire.stream([wire.message('done: 42')]) },
    ]);
    const { keel, threadId } = await start({ dynamicTools: [lookup] });
    const before = keel.messages.length;
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'ask the tool' }] });
    const request = await answerRequest(keel, 'item/tool/call', { contentItems: [{ type: 'inputText', text: 'dynamic tool says 42' }], success: true });
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    expect(request.params).toEqual({ threadId, turnId: turn.id, callId: 'call_7', namespace: null, tool: 'lookup_answer', arguments: { q: 'life' } });
    const window = between(seq, (m) => m.method === 'item/started' && params(m).item.id === 'call_7', (m) => m.method === 'item/completed' && params(m).item.id === 'call_7');
    expect(methods(window)).toEqual(['item/started', 'item/tool/call', 'item/completed']);
    const item = { type: 'dynamicToolCall', id: 'call_7', namespace: null, tool: 'lookup_answer', arguments: { q: 'life' } };
    expect(params(window[0]!).item).toEqual({ ...item, status: 'inProgress', contentItems: null, success: null, durationMs: null });
    expect(params(window[2]!).item).toEqual({ ...item, status: 'completed', contentItems: [{ type: 'inputText', text: 'dynamic tool says 42' }], success: true, durationMs: expect.any(Number) });
    const offered = ((fake.calls[0]!.body as { tools: Array<Record<string, unknown>> }).tools).find((tool) => tool.name === 'lookup_answer');
    expect(offered).toEqual({ type: 'function', name: 'lookup_answer', description: 'Look up the answer', parameters: lookup.inputSchema, strict: false });
    expect(outputOf(1, 'call_7')).toBe('dynamic tool says 42');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('a dynamic tool called with its arguments as real models send them (a JSON string, one level too deep, camelCase): the client gets its own fields', async () => {
    const search = { type: 'function', name: 'search_docs', description: 'Search the docs', inputSchema: { type: 'object', properties: { query_text: { type: 'string' } }, required: ['query_text'] } };
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_9', 'search_docs', JSON.stringify(JSON.stringify({ params: { queryText: 'cache' } })))]) },
      { sse: wire.stream([wire.message('found')]) },
    ]);
    const { keel, threadId } = await start({ dynamicTools: [search] });
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'search' }] });
    const request = await answerRequest(keel, 'item/tool/call', { contentItems: [{ type: 'inputText', text: 'one hit' }], success: true });
    await keel.waitFor('turn/completed');
    expect(request.params).toEqual({ threadId, turnId: turn.id, callId: 'call_9', namespace: null, tool: 'search_docs', arguments: { query_text: 'cache' } });
    expect(outputOf(1, 'call_9')).toBe('one hit');
  });

  it("request_user_input in Plan mode: the thread waits on user input, the client answers, the model reads the answers", async () => {
    const questions = [{ id: 'color', header: 'Color', question: 'Pick a color', options: [{ label: 'Blue (Recommended)', description: 'calm' }, { label: 'Red', description: 'bold' }] }];
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_8', 'request_user_input', JSON.stringify({ questions }))]) },
      { sse: wire.stream([wire.message('Blue it is.')]) },
    ]);
    const { keel, threadId } = await start({});
    const before = keel.messages.length;
    const collaborationMode = { mode: 'plan', settings: { model: 'gpt-5', reasoning_effort: null, developer_instructions: null } };
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'ask me' }], collaborationMode } as never);
    const request = await answerRequest(keel, 'item/tool/requestUserInput', { answers: { color: { answers: ['Blue'] } } });
    await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    expect(request.params).toEqual({ threadId, turnId: turn.id, itemId: 'call_8', questions: questions.map((q) => ({ ...q, isOther: true, isSecret: false })), isBlocking: true, autoResolutionMs: null });
    const window = between(seq, (m) => m.method === 'thread/status/changed' && params(m).status.activeFlags?.length > 0, (m) => m.method === 'item/completed' && params(m).item.id === 'call_8');
    expect(methods(window)).toEqual(['thread/status/changed', 'item/tool/requestUserInput', 'serverRequest/resolved', 'thread/status/changed', 'item/started', 'item/completed']);
    expect(statuses(window)).toEqual([['active', ['waitingOnUserInput']], ['active', []]]);
    expect(params(window[2]!)).toEqual({ threadId, requestId: request.id });
    expect(outputOf(1, 'call_8')).toBe('{"answers":{"color":{"answers":["Blue"]}}}');
    expect(seq.filter((m) => isServerRequest(m, 'item/tool/requestUserInput'))).toHaveLength(1);
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });
});
