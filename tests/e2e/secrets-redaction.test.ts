// A provider error that echoes the key ("Incorrect API key provided: Bearer sk-…") reaches the
// client's `error` and `turn/completed`, `thread/read` and the store with the key redacted; the log
// redacts it too. Keys learnt: the environment's, a provider's `env_key`, auth.json's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { runTurn, turnOf } from '../helpers/turns.js';
import { chat, responses } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const echo = (key: string) => `Incorrect API key provided: Bearer ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;

async function failingTurn(home: string, env: Record<string, string>, route: string, error: { status: number; json: unknown }) {
  fake.script(route, [error]);
  const keel = spawnKeel({ cwd: workspace(), home, env });
  await initialized(keel);
  const { thread } = await keel.request('thread/start', {});
  const seq = await runTurn(keel, thread.id, 'hello');
  const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
  return { keel, seq, read, threadId: thread.id };
}

describe('secrets are redacted from errors, events and logs', () => {
  const cases = [
    { name: 'OPENAI_API_KEY from the environment', key: 'sk-env-openai-0123456789abcdef', setup: (home: string, key: string) => ({ env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${fake.url}/v1` }, config: ['model = "gpt-4.1"'] }) },
    {
      name: 'the key stored in auth.json',
      key: 'sk-stored-0123456789abcdef',
      setup: (home: string, key: string) => {
        fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: key }), { mode: 0o600 });
        return { env: { OPENAI_BASE_URL: `${fake.url}/v1` }, config: ['model = "gpt-4.1"'] };
      },
    },
  ];
  for (const { name, key, setup } of cases) {
    it(`${name}: error, turn/completed, thread/read and the stored thread hold no key`, async () => {
      const home = makeTempHome();
      const { env, config } = setup(home, key);
      fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
      const { keel, seq, read } = await failingTurn(home, env, responses.route, responses.error(401, 'invalid_api_key', echo(key)));
      const redacted = { message: expect.stringContaining('Incorrect API key provided: Bearer [REDACTED].'), codexErrorInfo: 'unauthorized', additionalDetails: null };
      expect(seq.find((m) => m.method === 'error')?.params).toMatchObject({ error: redacted, willRetry: false });
      expect(turnOf(seq)).toMatchObject({ status: 'failed', error: redacted });
      expect(read.thread.turns.at(-1)).toMatchObject({ status: 'failed', error: redacted });
      for (const text of [JSON.stringify(keel.messages), JSON.stringify(read), keel.stderr]) expect(text).not.toContain(key);
      await keel.kill('SIGTERM');
      // The store on disk: nothing of the key in the database file or its WAL.
      for (const file of fs.readdirSync(home).filter((f) => f.startsWith('keel.db'))) expect(fs.readFileSync(path.join(home, file)).includes(key), file).toBe(false);
    });
  }

  it("a custom provider's env_key is a secret too", async () => {
    const key = 'custom-key-0123456789abcdef';
    const home = makeTempHome();
    const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "MY_PROVIDER_CREDENTIAL"', 'wire_api = "chat"'];
    fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
    const { keel, seq } = await failingTurn(home, { MY_PROVIDER_CREDENTIAL: key }, chat.route, chat.error(401, 'invalid_api_key', echo(key)));
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('Bearer [REDACTED].') } });
    expect(JSON.stringify(keel.messages)).not.toContain(key);
    await keel.kill('SIGTERM');
  });

  it('log lines are redacted, before pino is up and through it', () => {
    const key = 'sk-log-0123456789abcdef';
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/fixtures/redaction/log-lines.ts'), key], { cwd: repoRoot, encoding: 'utf8' });
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines.map((line) => line.msg)).toEqual(['direct [REDACTED]', 'through pino [REDACTED]', 'plain [REDACTED]']);
    expect(lines[0]!.err.message).toBe('Incorrect API key provided: Bearer [REDACTED]');
    expect(lines[1]).toMatchObject({ header: 'Authorization: Bearer [REDACTED]', nested: { key: '[REDACTED]' } });
    expect(run.stderr).not.toContain(key);
  });
});
