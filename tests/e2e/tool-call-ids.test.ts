// Tool calls as some Chat Completions endpoints send them: with no `id`, or with one id repeated.
// Each call is an item of its own with a unique id; the next request gives the model back the ids
// it sent (a generated one, the same in the call and its result, when it sent none); thread/read
// and a resume's replay equal what the client saw live.
import { describe, expect, it } from 'vitest';
import type { SseFrame } from '../helpers/fake-model-server.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItemsInCallOrder, FULL_ACCESS, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { chat as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

function start(cwd: string) {
  const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
  return keelWithThread({ thread: FULL_ACCESS, config, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
}

/** A whole tool call in one chunk at `index`, with the id the endpoint gives it (none: no `id` field). */
const callChunk = (index: number, id: string | null, name: string, args: object): SseFrame[] => [
  { data: { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake-model', choices: [{ index: 0, delta: { tool_calls: [{ index, ...(id !== null && { id }), type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, finish_reason: null }] } },
];
const twoReads = (id: string | null, said: string[] = []) => ({
  sse: wire.stream([wire.text(...said), callChunk(0, id, 'read_file', { path: 'a.txt' }), callChunk(1, id, 'read_file', { path: 'b.txt' })], { finish: 'tool_calls' }),
});

const readItem = (id: string, cwd: string, file: string, text: string) => ({
  type: 'commandExecution',
  id,
  command: `cat -n ${file}`,
  cwd,
  processId: null,
  source: 'agent',
  status: 'completed',
  commandActions: [{ type: 'read', command: `cat -n ${file}`, name: file, path: file }],
  aggregatedOutput: `     1\t${text}`,
  exitCode: 0,
  durationMs: expect.any(Number),
});

describe('tool calls without ids, or with one id twice (Chat Completions)', () => {
  it('each call is its own item; the model gets its ids back; thread/read and a resume equal live', async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
    fake.script(wire.route, [twoReads(null), twoReads('call_0'), { sse: wire.stream([wire.text('Read.')]) }]);
    const { keel, threadId } = await start(cwd);
    const seq = await runTurn(keel, threadId, 'read both');
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    // Live items as completed, in call order (the thread's): the two reads may complete in either order.
    const live = completedItemsInCallOrder(seq);
    const reads = live.filter((item) => item.type === 'commandExecution');
    const [first, second, third, fourth] = reads.map((item) => item.id as string);
    expect(reads).toEqual([
      readItem(first!, cwd, 'a.txt', 'alpha'),
      readItem(second!, cwd, 'b.txt', 'beta'),
      readItem(third!, cwd, 'a.txt', 'alpha'),
      readItem(fourth!, cwd, 'b.txt', 'beta'),
    ]);
    expect(new Set([first, second, third, fourth, ''])).toHaveProperty('size', 5);
    // The second pair keeps the id the model sent for the history; one of its items carries it.
    expect(third).toBe('call_0');

    const assistant = (ids: string[], content: string | null = null) => ({
      role: 'assistant',
      content,
      tool_calls: ids.map((id, i) => ({ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: i === 0 ? 'a.txt' : 'b.txt' }) } })),
    });
    const results = (ids: string[]) => [
      { role: 'tool', tool_call_id: ids[0], content: '     1\talpha' },
      { role: 'tool', tool_call_id: ids[1], content: '     1\tbeta' },
    ];
    const firstPair = [first!, second!];
    expect(conversationBody(fake.calls[1]!).messages).toEqual([{ role: 'user', content: 'read both' }, assistant(firstPair), ...results(firstPair)]);
    expect(conversationBody(fake.calls[2]!).messages).toEqual([
      { role: 'user', content: 'read both' },
      assistant(firstPair),
      ...results(firstPair),
      // The second response's calls come after the first's results: each request begins with the one before.
      assistant(['call_0', 'call_0']),
      ...results(['call_0', 'call_0']),
    ]);

    const read = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(read.thread.turns.at(-1)!.items).toEqual(live);
    const resumed = await keel.request('thread/resume', { threadId });
    expect(resumed.thread.turns.at(-1)!.items).toEqual(live);
  });
});
