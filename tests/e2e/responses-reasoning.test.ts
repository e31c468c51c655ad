// Reasoning carried across calls on the Responses wire, end to end: the encrypted content of a
// reasoning item goes back in the next call of the tool loop and in the next turn (after a restart:
// it is kept in the log), never reaches a client, and is dropped when the thread moves to another model.
import { describe, expect, it } from 'vitest';
import { conversationBody, responsesFieldsAsCodex } from '../helpers/preamble.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, FULL_ACCESS, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { exitedText, workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string) => ({ type: 'message', role: 'assistant', content: text });
const reasoning = (id: string, summary: string, encrypted: string) => ({ type: 'reasoning', id, summary: [{ type: 'summary_text', text: summary }], encrypted_content: encrypted });

describe('reasoning carried on the Responses wire', () => {
  it('sends call 1’s reasoning back before its call in call 2 and the next turn, shows clients only its summary, and drops it for another model', async () => {
    const cwd = workspace();
    fake.script(wire.route, [
      { sse: wire.stream([wire.reasoning([['Look', ' first']], [], 'enc-1'), wire.functionCall('call_1', 'exec_command', '{"cmd":"echo hi"}')]) },
      { sse: wire.stream([wire.message('Done.')]) },
      { sse: wire.stream([wire.reasoning([['Answer']], [], 'enc-2'), wire.message('Again.')]) },
      { sse: wire.stream([wire.message('Switched.')]) },
    ]);
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` };
    const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, spawn: { cwd, env } });
    const first = await runTurn(keel, threadId, 'run it');
    expect(turnOf(first)).toMatchObject({ status: 'completed', error: null });
    // The live item is the summary, as before; the encrypted content is nowhere on the wire.
    const thought = { type: 'reasoning', id: expect.any(String), summary: ['Look first'], content: [] };
    expect(completedItems(first).map((item) => (item.type === 'commandExecution' ? item.type : item))).toEqual([
      { type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'run it' }] },
      thought,
      'commandExecution',
      { type: 'agentMessage', id: expect.any(String), text: 'Done.', phase: null, memoryCitation: null },
    ]);
    expect(await keel.close()).toBe(0);
    expect(JSON.stringify(keel.messages)).not.toContain('enc-1');

    // The next turn, in a new process: the reasoning comes back from the log.
    const again = spawnKeel({ home: keel.home, env, cwd });
    await initialized(again);
    await again.request('thread/resume', { threadId });
    expect(turnOf(await runTurn(again, threadId, 'again'))).toMatchObject({ status: 'completed', error: null });
    const { thread } = await again.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns.map((turn) => turn.items.filter((item) => item.type === 'reasoning'))).toEqual([[thought], [{ ...thought, summary: ['Answer'] }]]);
    // Another model of the same provider cannot read gpt-5's encrypted reasoning.
    await again.request('turn/start', { threadId, input: [{ type: 'text', text: 'now on gpt-5.1' }], model: 'gpt-5.1' });
    await again.waitFor('turn/completed');
    expect(JSON.stringify(again.messages)).not.toMatch(/enc-[12]/);

    const call = { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"echo hi"}' };
    const output = { type: 'function_call_output', call_id: 'call_1', output: expect.stringMatching(exitedText(0, 'hi\n')) };
    const asCodex = responsesFieldsAsCodex(threadId);
    const turn1 = [user('run it'), reasoning('rs_0', 'Look first', 'enc-1'), call, output, assistant('Done.')];
    expect(fake.calls.map(conversationBody)).toEqual([
      { model: 'gpt-5', input: [user('run it')], ...asCodex },
      { model: 'gpt-5', input: turn1.slice(0, 4), ...asCodex },
      { model: 'gpt-5', input: [...turn1, user('again')], ...asCodex },
      {
        model: 'gpt-5.1',
        input: [user('run it'), call, output, assistant('Done.'), user('again'), assistant('Again.'), user('now on gpt-5.1')],
        ...asCodex,
      },
    ]);
    // Each request's input begins with the previous one's while the model stays the same.
    const inputs = fake.calls.map((c) => (c.body as { input: unknown[] }).input);
    expect([1, 2].map((i) => inputs[i]!.slice(0, inputs[i - 1]!.length))).toEqual([inputs[0], inputs[1]]);
  });
});
