// thread/settings/updated and serviceTier, end to end against the fake Responses server: the tier a
// client asks for is answered back, kept with the thread and sent as `service_tier`; a turn/start
// override that changes a setting is announced to the thread's subscribers before the turn starts,
// one that changes nothing is not.
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { methods, params, runTurn } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

async function keel(): Promise<KeelProcess> {
  const k = spawnKeel({ serve: inProcess, home: makeTempHome(), env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(k);
  return k;
}

describe('serviceTier', () => {
  it('kept when thread/start asks for flex: answered back, sent to the Responses API as service_tier, answered by resume', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Hi.')]) }]);
    const k = await keel();
    const started = await k.request('thread/start', { cwd, serviceTier: 'flex' } as never);
    expect(started.serviceTier).toBe('flex');
    await runTurn(k, started.thread.id, 'hello');
    expect((fake.calls[0]!.body as Record<string, unknown>).service_tier).toBe('flex');
    const resumed = await k.request('thread/resume', { threadId: started.thread.id } as never);
    expect(resumed.serviceTier).toBe('flex');
  });

  it('not sent when no tier was asked for; a turn/start tier is sent from that turn on', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([wire.message('One.')]) }, { sse: wire.stream([wire.message('Two.')]) }]);
    const k = await keel();
    const started = await k.request('thread/start', { cwd } as never);
    expect(started.serviceTier).toBeNull();
    await runTurn(k, started.thread.id, 'one');
    expect('service_tier' in (fake.calls[0]!.body as Record<string, unknown>)).toBe(false);
    const { turn } = await k.request('turn/start', { threadId: started.thread.id, input: [{ type: 'text', text: 'two' }], serviceTier: 'priority' } as never);
    await k.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id);
    expect((fake.calls[1]!.body as Record<string, unknown>).service_tier).toBe('priority');
  });
});

describe('thread/settings/updated', () => {
  it('a turn/start that changes the model and the approval policy: announced with every setting, before the turn starts; the same overrides again: not', async () => {
    const cwd = workspace();
    fake.script(wire.route, [{ sse: wire.stream([wire.message('One.')]) }, { sse: wire.stream([wire.message('Two.')]) }]);
    const k = await keel();
    const started = await k.request('thread/start', { cwd, approvalPolicy: 'on-request', sandbox: 'read-only' } as never);
    const threadId = started.thread.id;
    const overrides = { model: 'gpt-5-mini', approvalPolicy: 'never' };
    const before = k.messages.length;
    const { turn } = await k.request('turn/start', { threadId, input: [{ type: 'text', text: 'one' }], ...overrides } as never);
    await k.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === turn.id);
    const seq = k.messages.slice(before).filter((m) => m.method !== undefined);
    expect(methods(seq).slice(0, 3)).toEqual(['thread/settings/updated', 'thread/status/changed', 'turn/started']);
    expect(params(seq[0]!)).toEqual({
      threadId,
      threadSettings: {
        cwd: started.cwd,
        model: 'gpt-5-mini',
        modelProvider: started.modelProvider,
        serviceTier: null,
        approvalPolicy: 'never',
        approvalsReviewer: 'user',
        sandboxPolicy: { type: 'readOnly', networkAccess: false },
        effort: started.reasoningEffort,
        collaborationMode: { mode: 'default', settings: { model: 'gpt-5-mini', reasoning_effort: started.reasoningEffort, developer_instructions: null } },
      },
    });
    const again = k.messages.length;
    const second = await k.request('turn/start', { threadId, input: [{ type: 'text', text: 'two' }], ...overrides } as never);
    await k.waitFor((m) => m.method === 'turn/completed' && params(m).turn.id === second.turn.id);
    expect(methods(k.messages.slice(again)).filter((m) => m === 'thread/settings/updated')).toEqual([]);
  });

  it('thread/resume with an override announces the change to the caller, a subscriber', async () => {
    const cwd = workspace();
    const a = await keel();
    const started = await a.request('thread/start', { cwd } as never);
    const threadId = started.thread.id;
    const heard = a.waitFor('thread/settings/updated');
    await a.request('thread/resume', { threadId, model: 'gpt-5-mini' } as never);
    expect(params(await heard)).toMatchObject({ threadId, threadSettings: { model: 'gpt-5-mini' } });
  });
});
