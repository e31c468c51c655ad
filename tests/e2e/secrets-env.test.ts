// Commands never see Keel's keys: the model's (exec_command, shell), the user's
// (thread/shellCommand) and a client's (command/exec) start from Keel's environment under
// shell_environment_policy — by default without any variable whose name holds KEY, SECRET or
// TOKEN — and a configured policy (exclude, set, include_only, inherit) is what they get.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, runTurn } from '../helpers/turns.js';
import { chat, responses } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

/** What Keel itself holds: provider keys, and other secrets by the names they usually go by. */
const SECRETS = { OPENAI_API_KEY: 'sk-openai-0123456789', ANTHROPIC_API_KEY: 'sk-ant-0123456789', FOO_TOKEN: 'tok-0123456789', MY_SECRET: 'shh-0123456789', lower_api_key: 'low-0123456789' };
const PLAIN = { KEEL_PLAIN_SETTING: 'plain-value' };

async function keelWith(policy: string[], cwd = workspace()) {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), ['model = "gpt-4.1"', ...policy].join('\n') + '\n');
  const keel = spawnKeel({ cwd, home, env: { ...SECRETS, ...PLAIN, OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel);
  return keel;
}

/** The variable names `env` printed (one per line, `NAME=value`). */
const names = (output: string) => new Set(output.split('\n').filter((line) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(line)).map((line) => line.slice(0, line.indexOf('='))));

function expectNoSecrets(output: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(names(output).has(name), name).toBe(false);
    expect(output).not.toContain(value);
  }
}

describe('the environment commands start from', () => {
  it("default policy: the model's exec_command and shell, thread/shellCommand and command/exec see no key, but PATH, HOME and the rest", async () => {
    const cwd = workspace();
    const keel = await keelWith([], cwd);
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'danger-full-access' });
    fake.script(responses.route, [
      { sse: responses.stream([responses.functionCall('e1', 'exec_command', JSON.stringify({ cmd: 'env' }))]) },
      { sse: responses.stream([responses.message('Done.')]) },
    ]);
    const seq = await runTurn(keel, thread.id, 'print the environment');
    const outputs = completedItems(seq).filter((item) => item.type === 'commandExecution').map((item) => item.aggregatedOutput as string);
    expect(outputs).toHaveLength(1);
    const before = keel.messages.length;
    expect(await keel.request('thread/shellCommand', { threadId: thread.id, command: 'env' })).toEqual({});
    await keel.waitFor('turn/completed');
    const user = keel.messages.slice(before).find((m) => m.method === 'item/completed' && (m.params as any).item.type === 'commandExecution');
    outputs.push((user!.params as any).item.aggregatedOutput);
    outputs.push((await keel.request('command/exec', { command: ['env'] })).stdout);
    for (const output of outputs) {
      expectNoSecrets(output);
      for (const name of ['PATH', 'HOME', 'KEEL_PLAIN_SETTING']) expect(names(output).has(name), name).toBe(true);
    }
    // What a client sets for its own command is its choice: set explicitly, it is passed.
    expect((await keel.request('command/exec', { command: ['sh', '-c', 'echo "$GIVEN_TOKEN"'], env: { GIVEN_TOKEN: 'mine' } })).stdout).toBe('mine\n');
    await keel.kill('SIGTERM');
  });

  it('exclude and set; ignore_default_excludes passes keys on when asked', async () => {
    const keel = await keelWith(['[shell_environment_policy]', 'exclude = ["keel_plain_*", "MY_*"]', 'ignore_default_excludes = true', 'set = { ADDED_BY_POLICY = "1" }']);
    const env = names((await keel.request('command/exec', { command: ['env'] })).stdout);
    expect(env.has('KEEL_PLAIN_SETTING')).toBe(false);
    expect(env.has('MY_SECRET')).toBe(false);
    expect(env.has('ADDED_BY_POLICY')).toBe(true);
    expect(env.has('FOO_TOKEN')).toBe(true);
    expect(env.has('PATH')).toBe(true);
    await keel.kill('SIGTERM');
  });

  it('include_only keeps just the names it matches; inherit = "core" starts from the basics; inherit = "none" from nothing but set', async () => {
    const only = await keelWith(['[shell_environment_policy]', 'include_only = ["PATH", "HOME", "keel_plain_*"]']);
    expect([...names((await only.request('command/exec', { command: ['env'] })).stdout)].sort()).toEqual(['HOME', 'KEEL_PLAIN_SETTING', 'PATH']);
    await only.kill('SIGTERM');
    const core = await keelWith(['[shell_environment_policy]', 'inherit = "core"']);
    const coreNames = names((await core.request('command/exec', { command: ['env'] })).stdout);
    expect(coreNames.has('PATH') && coreNames.has('HOME')).toBe(true);
    expect(coreNames.has('KEEL_PLAIN_SETTING')).toBe(false);
    expectNoSecrets((await core.request('command/exec', { command: ['env'] })).stdout);
    await core.kill('SIGTERM');
    const none = await keelWith(['[shell_environment_policy]', 'inherit = "none"', 'set = { PATH = "/usr/bin:/bin", ONLY_ME = "x" }']);
    expect([...names((await none.request('command/exec', { command: ['/usr/bin/env'] })).stdout)].sort()).toEqual(['ONLY_ME', 'PATH']);
    await none.kill('SIGTERM');
  });

  it("the generic toolset's shell sees the policy too", async () => {
    const cwd = workspace();
    const home = makeTempHome();
    const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
    fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
    const keel = spawnKeel({ cwd, home, env: { ...SECRETS, FAKE_API_KEY: 'fake-key-0123456789' } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
    fake.script(chat.route, [
      { sse: chat.stream([chat.toolCall('s1', 'shell', JSON.stringify({ command: 'env' }))], { finish: 'tool_calls' }) },
      { sse: chat.stream([chat.text('Done.')]) },
    ]);
    const seq = await runTurn(keel, thread.id, 'print it');
    const output = completedItems(seq).find((item) => item.id === 's1')!.aggregatedOutput as string;
    expectNoSecrets(output);
    expect(output).not.toContain('fake-key-0123456789');
    expect(names(output).has('PATH')).toBe(true);
    await keel.kill('SIGTERM');
  });
});
