// Per-turn request options reach the provider: turn/start `summary`, `effort` and `outputSchema`
// in the Responses request body; `model` applies to this turn and the next.
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { keelWithThread } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

describe('turn/start options', () => {
  it('sends effort, summary and outputSchema for the turn, and keeps a model override for the next turn', async () => {
    const ok = () => ({ sse: wire.stream([wire.message('{"answer":42}')], wire.usage(10, 0, 2)) });
    fake.script(wire.route, [ok(), ok()]);
    const { keel, threadId } = await keelWithThread({ spawn: { env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'q' }], model: 'gpt-4.1', effort: 'low', summary: 'concise', outputSchema: schema });
    await keel.waitFor('turn/completed');
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'again' }] });
    await keel.waitFor('turn/completed');
    const [first, second] = fake.calls.map((call) => call.body as Record<string, unknown>);
    expect({ model: first!.model, reasoning: first!.reasoning, text: first!.text }).toEqual({
      model: 'gpt-4.1',
      reasoning: { effort: 'low', summary: 'concise' },
      text: { format: { type: 'json_schema', name: 'output', schema, strict: false } },
    });
    // The model and effort persist (Codex semantics); summary and outputSchema were this turn's.
    expect({ model: second!.model, reasoning: second!.reasoning, text: second!.text }).toEqual({ model: 'gpt-4.1', reasoning: { effort: 'low', summary: 'auto' }, text: undefined });
    const { thread } = await keel.request('thread/read', { threadId });
    expect(thread.model).toBe('gpt-4.1');
  });

  it('takes the reasoning effort from config.toml when the request names none', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('ok')], wire.usage(10, 0, 2)) }]);
    const { keel, threadId } = await keelWithThread({ config: ['model_reasoning_effort = "high"'], spawn: { env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
    const { thread } = await keel.request('thread/read', { threadId });
    expect(thread.reasoningEffort).toBe('high');
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'q' }] });
    await keel.waitFor('turn/completed');
    expect((fake.calls[0]!.body as { reasoning: unknown }).reasoning).toEqual({ effort: 'high', summary: 'auto' });
  });
});
