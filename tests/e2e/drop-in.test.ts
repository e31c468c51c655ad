// Keel as a drop-in for `codex app-server`, driven the way published Codex clients drive it: the
// bin spawned as `<bin> app-server --listen stdio://` with a `-c` override, the version parsed from
// `initialize.userAgent` and gated on, the start-up reads before `thread/start`, no `initialized`
// notification ever sent, then a turn; and the older spellings such clients still send.
import { describe, expect, it } from 'vitest';
import { CODEX_PROTOCOL_VERSION } from '../../src/protocol/codex-version.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { spawnKeel, testClientInfo } from '../helpers/keel-process.js';
import { cliVersion } from '../helpers/threads.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

/** How a client reads the server version: the first x.y.z in the user agent. */
const versionOf = (userAgent: string) => /(\d+)\.(\d+)\.(\d+)/.exec(userAgent)!.slice(1).map(Number) as [number, number, number];
const atLeast = (v: number[], min: number[]) => v[0]! > min[0]! || (v[0] === min[0] && (v[1]! > min[1]! || (v[1] === min[1] && v[2]! >= min[2]!)));

describe('a client written for codex app-server', () => {
  it('spawns `app-server --listen stdio://` with -c, gates on the version, reads its start-up state, never sends initialized, and runs a turn', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('hi')]) }]);
    const keel = spawnKeel({
      args: ['app-server', '--listen', 'stdio://', '-c', 'model="gpt-test"'],
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` },
    });
    const { userAgent } = await keel.request('initialize', { clientInfo: testClientInfo, capabilities: null });
    expect(userAgent).toMatch(new RegExp(`^keel-tests/${CODEX_PROTOCOL_VERSION.replaceAll('.', '\\.')} \\([^;]+ [\\d.]+; [\\w]+\\) keel/${cliVersion.replaceAll('.', '\\.')} \\(keel-tests; 0\\.0\\.0\\)$`));
    expect(atLeast(versionOf(userAgent), [0, 153, 0])).toBe(true);

    // No `initialized`: Codex serves such a client, and so does Keel.
    expect(await keel.request('account/read', {})).toEqual({ account: { type: 'apiKey' }, userId: null, requiresOpenaiAuth: true });
    expect(await keel.request('permissionProfile/list', {})).toEqual({ data: [], nextCursor: null });
    const started = await keel.request('thread/start', { approvalPolicy: 'onRequest', sandbox: 'workspaceWrite' } as never);
    expect({ model: started.model, modelProvider: started.modelProvider, approvalPolicy: started.approvalPolicy, sandbox: started.sandbox.type }).toEqual({
      model: 'gpt-test',
      modelProvider: 'openai',
      approvalPolicy: 'on-request',
      sandbox: 'workspaceWrite',
    });
    await keel.request('turn/start', { threadId: started.thread.id, input: [{ type: 'text', text: 'say hi' }] });
    const completed = await keel.waitFor('turn/completed');
    expect((completed.params as { turn: { status: string; items: unknown[] } }).turn).toMatchObject({ status: 'completed', items: [{ type: 'agentMessage', text: 'hi' }] });
    expect((fake.calls[0]!.body as { model: string }).model).toBe('gpt-test');
    expect(keel.messages.some((m) => m.method === 'initialized')).toBe(false);
    expect(await keel.close()).toBe(0);
  });

  it('accepts the spellings older protocol documents used, and answers with today’s', async () => {
    const keel = spawnKeel({ args: ['app-server'] });
    await keel.request('initialize', { clientInfo: testClientInfo });
    const spellings: Array<[Record<string, string>, { approvalPolicy: string; sandbox: string }]> = [
      [{ approvalPolicy: 'unlessTrusted', sandbox: 'readOnly' }, { approvalPolicy: 'untrusted', sandbox: 'readOnly' }],
      [{ approvalPolicy: 'onFailure', sandbox: 'dangerFullAccess' }, { approvalPolicy: 'on-request', sandbox: 'dangerFullAccess' }],
      [{ approvalPolicy: 'on-failure', sandbox: 'workspace-write' }, { approvalPolicy: 'on-request', sandbox: 'workspaceWrite' }],
    ];
    for (const [sent, answered] of spellings) {
      const started = await keel.request('thread/start', sent as never);
      expect({ approvalPolicy: started.approvalPolicy, sandbox: started.sandbox.type }).toEqual(answered);
    }
    // `params: null` where the schema has an object is `{}`.
    expect(await keel.requestRaw({ id: 'null-params', method: 'thread/loaded/list', params: null })).toMatchObject({ id: 'null-params', result: { nextCursor: null } });
    expect(await keel.close()).toBe(0);
  });
});
