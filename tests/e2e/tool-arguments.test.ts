// Arguments as real models send them, end to end on the Chat Completions wire: a JSON string inside
// the JSON and an object nested one level too deep (with a camelCase field) are run as the plain
// call would be — the model is not sent back to fix them.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItemsInCallOrder, FULL_ACCESS, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { chat as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

describe('tool arguments as real models send them (Chat Completions)', () => {
  it('a JSON string inside JSON and a nested object with filePath each read the file in one go', async () => {
    const cwd = workspace({ 'a.txt': 'alpha\n' });
    const asString = JSON.stringify(JSON.stringify({ path: 'a.txt' }));
    const nested = JSON.stringify({ params: { filePath: 'a.txt' } });
    fake.script(wire.route, [
      { sse: wire.stream([wire.toolCall('c1', 'read_file', asString), wire.toolCall('c2', 'read_file', nested).map((frame) => withIndex(frame, 1))], { finish: 'tool_calls' }) },
      { sse: wire.stream([wire.text('Read.')]) },
    ]);
    const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
    const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, config, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
    const seq = await runTurn(keel, threadId, 'read a.txt');
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    const read = (id: string) => ({
      type: 'commandExecution',
      id,
      command: 'cat -n a.txt',
      cwd,
      processId: null,
      source: 'agent',
      status: 'completed',
      commandActions: [{ type: 'read', command: 'cat -n a.txt', name: 'a.txt', path: 'a.txt' }],
      aggregatedOutput: '     1\talpha',
      exitCode: 0,
      durationMs: expect.any(Number),
    });
    // In call order: the two reads run side by side and may complete in either order.
    expect(completedItemsInCallOrder(seq).filter((item) => item.type === 'commandExecution')).toEqual([read('c1'), read('c2')]);
    // The model's calls go back as it sent them; each result is the file.
    expect(conversationBody(fake.calls[1]!).messages).toEqual([
      { role: 'user', content: 'read a.txt' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: asString } },
          { id: 'c2', type: 'function', function: { name: 'read_file', arguments: nested } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '     1\talpha' },
      { role: 'tool', tool_call_id: 'c2', content: '     1\talpha' },
    ]);
  });
});

/** The same chunk, for the call at `index` (wire.toolCall numbers every call 0). */
function withIndex(frame: { data: unknown }, index: number) {
  const data = frame.data as { choices: Array<{ delta: { tool_calls?: Array<Record<string, unknown>> } }> };
  return { ...frame, data: { ...data, choices: data.choices.map((choice) => ({ ...choice, delta: { ...choice.delta, tool_calls: choice.delta.tool_calls?.map((call) => ({ ...call, index })) } })) } };
}
