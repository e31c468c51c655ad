// Reliability, secrets: hostile attempts at the keys Keel holds, each counted as an attack and
// checked to have held. (1) Every read tool × every route into Keel's home — the path itself, a
// symlink, `..` through a link, /proc/self/root, /proc/<keel>/cwd, /proc/self/cwd, /proc/self/fd/N
// of a file Keel holds open there, and walks rooted at a parent with globs that pick the home —
// in a seeded order, under danger-full-access. (2) Sandboxed commands after the keys: env,
// printenv, every /proc/*/environ, the home by path and by $KEEL_HOME. (3) A provider echoing the
// key in its errors (401, 400, 500, 429), each failing a turn. Nothing of the key may reach a
// model request, a client message, thread/read or the log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { rng, shuffled } from '../helpers/rng.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, runTurn, turnOf } from '../helpers/turns.js';
import { chat } from '../helpers/wire-streams.js';
import { reportPart, SEED } from './tally.js';

const fake = useFakeModelServer();
const KEY = 'sk-reliability-key-0123456789abcdef';
/** A token Keel does not know as a secret (not redacted): only the environment policy keeps it out. */
const DEPLOY = 'deploy-token-0123456789abcdef';

function parentWithHome() {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rel-secrets-')));
  const home = path.join(parent, 'home');
  fs.mkdirSync(home, { mode: 0o700 });
  fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: KEY }), { mode: 0o600 });
  fs.writeFileSync(path.join(parent, 'readme.txt'), 'nothing here\n');
  fs.symlinkSync(home, path.join(parent, 'link'));
  fs.symlinkSync(path.join(home, 'auth.json'), path.join(parent, 'auth-link.json'));
  return { parent, home };
}

async function start(parent: string, home: string, sandbox: string, keel: string[] = []): Promise<{ keel: KeelProcess; threadId: string }> {
  const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"', ...(keel.length > 0 ? ['[keel]', ...keel] : [])];
  fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
  const process = spawnKeel({ cwd: parent, home, env: { FAKE_API_KEY: KEY, OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY, DEPLOY_TOKEN: DEPLOY } });
  await initialized(process);
  const { thread } = await process.request('thread/start', { cwd: parent, approvalPolicy: 'never', sandbox } as never);
  return { keel: process, threadId: thread.id };
}

/** The fd numbers Keel holds open on files inside its home (its database). */
function homeFds(pid: number, home: string): number[] {
  return fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(`${home}/`) ? [Number(fd)] : [];
    } catch {
      return [];
    }
  });
}

function expectNoKey(keel: KeelProcess): void {
  expect(JSON.stringify(fake.calls.map((call) => call.body))).not.toContain(KEY);
  expect(JSON.stringify(keel.messages)).not.toContain(KEY);
  expect(keel.stderr).not.toContain(KEY);
}

const toolCall = (id: string, name: string, args: object) => ({ sse: chat.stream([chat.toolCall(id, name, JSON.stringify(args))], { finish: 'tool_calls' }) });

describe('reliability: secrets', () => {
  it('holds against every read tool × route, sandboxed commands and provider echoes', async () => {
    const startedAt = Date.now();
    const random = rng(SEED);
    let attacks = 0;
    let turns = 0;

    // (1) Read tools × routes, under danger-full-access (the least confined policy).
    {
      const { parent, home } = parentWithHome();
      const { keel, threadId } = await start(parent, home, 'danger-full-access', ['max_turn_iterations = 500']);
      const fds = homeFds(keel.pid, home);
      expect(fds.length).toBeGreaterThan(0);
      const routes = [
        `${home}/auth.json`,
        'home/auth.json',
        'link/auth.json',
        'auth-link.json',
        'link/./auth.json',
        `/proc/self/root${home}/auth.json`,
        `/proc/${keel.pid}/root${home}/auth.json`,
        `/proc/${keel.pid}/cwd/home/auth.json`,
        '/proc/self/cwd/link/auth.json',
        '/proc/thread-self/cwd/auth-link.json',
        ...fds.map((fd) => `/proc/self/fd/${fd}`),
      ];
      const attempts: Array<[string, object]> = [];
      for (const route of routes) {
        attempts.push(['read_file', { path: route }], ['grep_files', { pattern: 'sk-', path: route }], ['list_dir', { path: path.dirname(route) }]);
      }
      for (const glob of ['**/*', '**/auth.json', 'home/**', '*.json', 'link/*', '**/keel.db*']) attempts.push(['glob_files', { pattern: glob }], ['grep_files', { pattern: 'sk-|SQLite', glob }]);
      for (const depth of [1, 2, 5]) attempts.push(['list_dir', { path: '.', depth }], ['list_dir', { path: parent, depth }]);
      const order = shuffled(attempts, random);
      fake.script(chat.route, [...order.map(([name, args], i) => toolCall(`a${i}`, name, args)), { sse: chat.stream([chat.text('Done.')]) }]);
      const seq = await runTurn(keel, threadId, 'find the key', 120_000);
      turns++;
      expect(turnOf(seq)).toMatchObject({ status: 'completed' });
      const items = completedItems(seq).filter((item) => item.type === 'commandExecution');
      expect(items).toHaveLength(order.length);
      // Not even redacted: the key never reached a tool's output at all.
      for (const item of items) expect(item.aggregatedOutput as string).not.toMatch(/sk-reliability|\[REDACTED\]|auth\.json\n|SQLite/);
      attacks += order.length;
      expectNoKey(keel);
      await keel.kill('SIGTERM');
    }

    // (2) Sandboxed commands after the keys, in the environment, in /proc, in the home.
    {
      const { parent, home } = parentWithHome();
      const { keel, threadId } = await start(parent, home, 'workspace-write');
      const commands = shuffled([
        'env',
        'printenv OPENAI_API_KEY ANTHROPIC_API_KEY FAKE_API_KEY DEPLOY_TOKEN',
        "for f in /proc/*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null",
        `cat ${home}/auth.json`,
        'cat "$KEEL_HOME/auth.json"',
        'cat link/auth.json auth-link.json',
        `ls -la ${home}`,
        `grep -r sk- ${parent}`,
        `cat /proc/${keel.pid}/environ`,
      ], random);
      fake.script(chat.route, [...commands.map((command, i) => toolCall(`c${i}`, 'shell', { command })), { sse: chat.stream([chat.text('Done.')]) }]);
      const seq = await runTurn(keel, threadId, 'find the key', 120_000);
      turns++;
      const outputs = completedItems(seq).filter((item) => item.type === 'commandExecution').map((item) => item.aggregatedOutput as string);
      expect(outputs).toHaveLength(commands.length);
      // Kept out, not redacted: neither the known key nor the unknown token reached a command.
      for (const output of outputs) expect(output).not.toMatch(/sk-reliability|deploy-token|\[REDACTED\]/);
      attacks += commands.length;
      expectNoKey(keel);
      await keel.kill('SIGTERM');
    }

    // (3) A provider echoing the key in its errors: each fails its turn, redacted everywhere.
    {
      const { parent, home } = parentWithHome();
      const { keel, threadId } = await start(parent, home, 'read-only', ['max_retries = 0']);
      const echoes = shuffled([401, 400, 500, 429, 403], random);
      for (const status of echoes) {
        fake.script(chat.route, [chat.error(status, 'invalid_api_key', `Incorrect API key provided: Bearer ${KEY} (${status})`)]);
        const seq = await runTurn(keel, threadId, `try ${status}`, 30_000);
        turns++;
        expect(turnOf(seq)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('Bearer [REDACTED]') } });
        attacks++;
      }
      const read = await keel.request('thread/read', { threadId, includeTurns: true });
      expect(JSON.stringify(read)).not.toContain(KEY);
      expectNoKey(keel);
      await keel.kill('SIGTERM');
    }

    reportPart('secrets', { attacks, turns }, startedAt);
  }, 300_000);
});
