// thread/inject_items end to end: the injected messages are in the next request to the (fake)
// Responses server, in place after the turn they followed — also after a restart, since they are an
// event of the thread's log; an item Keel cannot take is invalid params naming its index.
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { runTurn } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

async function keel(home: string): Promise<KeelProcess> {
  const k = spawnKeel({ home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(k);
  return k;
}

const injected = [
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The build uses pnpm.' }] },
  { role: 'assistant', content: 'Noted: pnpm.' },
  { type: 'message', role: 'system', content: 'Answer in French.' },
];

describe('thread/inject_items', () => {
  it('the messages are in the history the model sees, after the turn they followed, and stay there across a restart', async () => {
    const cwd = workspace();
    const home = makeTempHome();
    fake.script(wire.route, [{ sse: wire.stream([wire.message('First.')]) }, { sse: wire.stream([wire.message('Second.')]) }]);
    const a = await keel(home);
    const { thread } = await a.request('thread/start', { cwd } as never);
    await runTurn(a, thread.id, 'one');
    expect(await a.request('thread/inject_items', { threadId: thread.id, items: injected } as never)).toEqual({});
    await a.close();

    const b = await keel(home);
    await b.request('thread/resume', { threadId: thread.id } as never);
    await runTurn(b, thread.id, 'two');
    const input = conversationBody(fake.calls[1]!).input as Array<Record<string, unknown>>;
    expect(input.filter((e) => e.type === 'message' && e.role !== 'developer' || (e.role === 'developer' && JSON.stringify(e).includes('French')))).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'one' }] },
      { type: 'message', role: 'assistant', content: 'First.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'The build uses pnpm.' }] },
      { type: 'message', role: 'assistant', content: 'Noted: pnpm.' },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Answer in French.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'two' }] },
    ]);
    await b.close();
  });

  it('an item Keel cannot take: invalid params naming its index; an unknown thread: not found', async () => {
    const k = await keel(makeTempHome());
    const { thread } = await k.request('thread/start', { cwd: workspace() } as never);
    const items = [{ role: 'user', content: 'fine' }, { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{}' }];
    const invalid = (path: string, message: string) => ({ code: -32602, message: `Invalid params: ${path}: ${message}`, data: { issues: [{ path, message }] } });
    expect(await errorOf(k.request('thread/inject_items', { threadId: thread.id, items } as never))).toEqual(
      invalid('items[1]', 'type "function_call" cannot be injected in Keel: only messages can (type "message")'),
    );
    expect(await errorOf(k.request('thread/inject_items', { threadId: thread.id, items: [{ role: 'tool', content: 'x' }] } as never))).toEqual(
      invalid('items[0]', 'role must be user, assistant, developer or system, got "tool"'),
    );
    expect(await errorOf(k.request('thread/inject_items', { threadId: 'no-such-thread', items: [] } as never))).toMatchObject({ message: 'thread not found: no-such-thread' });
    await k.close();
  });
});
