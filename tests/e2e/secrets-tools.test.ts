// Keel's home is invisible to Keel's own file tools, whatever route leads there: a listing, glob or
// search rooted at a parent of the home, a direct read, a symlink into it, `/proc/self/root/…`,
// `/proc/<keel>/cwd/…`, view_image of auth.json, the text editor's view of a parent. The stored key
// reaches neither the model (every request body) nor the client (every item), under every
// sandbox policy — danger-full-access included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, runTurn, turnOf } from '../helpers/turns.js';
import { anthropic, chat, responses } from '../helpers/wire-streams.js';
import { TINY_PNG_BASE64 } from '../fixtures/mcp/fixture-server-data.mjs';

const fake = useFakeModelServer();
const KEY = 'sk-stored-key-0123456789abcdef';

/** A parent directory holding the workspace's files and Keel's home (`keel-home`, not a dot name) with auth.json. */
function parentWithHome(): { parent: string; home: string } {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-secrets-')));
  const home = path.join(parent, 'keel-home');
  fs.mkdirSync(home, { mode: 0o700 });
  fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: KEY }), { mode: 0o600 });
  fs.writeFileSync(path.join(parent, 'notes.txt'), 'sk-stored is mentioned here\n');
  fs.symlinkSync(home, path.join(parent, 'into-home'));
  return { parent, home };
}

const auth = (home: string) => fs.readFileSync(path.join(home, 'auth.json'));

/** Neither the key nor auth.json's bytes (as text or base64) anywhere in what was sent. */
function expectNoKey(text: string, home: string): void {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(auth(home).toString('base64'));
}

async function start(home: string, cwd: string, config: string[], sandbox: string, env: Record<string, string>, args: string[] = []) {
  fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
  const keel = spawnKeel({ cwd, home, env, args });
  await initialized(keel);
  const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox } as never);
  return { keel, threadId: thread.id };
}

const chatCall = (id: string, name: string, args: object) => ({ sse: chat.stream([chat.toolCall(id, name, JSON.stringify(args))], { finish: 'tool_calls' }) });

describe("Keel's home is invisible to Keel's own file tools", () => {
  for (const sandbox of ['danger-full-access', 'read-only', 'workspace-write']) {
    it(`${sandbox}: listings, globs, searches and reads from a parent, a symlink or /proc never show the home`, async () => {
      const { parent, home } = parentWithHome();
      const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
      const { keel, threadId } = await start(home, parent, config, sandbox, { FAKE_API_KEY: 'test-key' });
      const reads = [
        ['list', 'list_dir', { path: '.', depth: 3 }],
        ['listHome', 'list_dir', { path: 'keel-home' }],
        ['listLink', 'list_dir', { path: 'into-home' }],
        ['globAll', 'glob_files', { pattern: '**/*' }],
        ['globHome', 'glob_files', { pattern: 'keel-home/*' }],
        ['grep', 'grep_files', { pattern: 'sk-stored' }],
        ['grepGlob', 'grep_files', { pattern: 'sk-', glob: '*.json' }],
        ['grepHome', 'grep_files', { pattern: 'sk-', path: 'keel-home' }],
        ['grepLink', 'grep_files', { pattern: 'sk-', path: 'into-home/auth.json' }],
        ['read', 'read_file', { path: 'keel-home/auth.json' }],
        ['readLink', 'read_file', { path: 'into-home/auth.json' }],
        ['readDots', 'read_file', { path: 'into-home/../keel-home/./auth.json' }],
        ['readRoot', 'read_file', { path: `/proc/self/root${home}/auth.json` }],
        ['readCwd', 'read_file', { path: `/proc/${keel.pid}/cwd/keel-home/auth.json` }],
        ['readSelfCwd', 'read_file', { path: '/proc/self/cwd/into-home/auth.json' }],
      ] as const;
      fake.script(chat.route, [...reads.map(([id, name, args]) => chatCall(id, name, args)), { sse: chat.stream([chat.text('Done.')]) }]);
      const seq = await runTurn(keel, threadId, 'look everywhere', 20_000);
      expect(turnOf(seq)).toMatchObject({ status: 'completed' });
      const items = Object.fromEntries(completedItems(seq).map((item) => [item.id, item]));
      // What a parent shows: the workspace, never the home's entries.
      expect(items['list']).toMatchObject({ status: 'completed', aggregatedOutput: 'into-home@\nnotes.txt' });
      expect(items['globAll']).toMatchObject({ status: 'completed', aggregatedOutput: 'into-home\nnotes.txt' });
      expect(items['globHome']).toMatchObject({ status: 'completed', aggregatedOutput: expect.stringMatching(/^no files match/) });
      expect(items['grep']).toMatchObject({ status: 'completed', aggregatedOutput: 'notes.txt:1: sk-stored is mentioned here' });
      expect(items['grepGlob']).toMatchObject({ status: 'completed', aggregatedOutput: expect.stringMatching(/^no matches/) });
      // Into the home, by name, through a link or /proc: refused.
      for (const id of ['listHome', 'listLink', 'grepHome', 'grepLink', 'read', 'readLink', 'readDots', 'readRoot', 'readCwd', 'readSelfCwd']) {
        expect(items[id], id).toMatchObject({ status: 'failed', exitCode: 1, aggregatedOutput: expect.stringContaining("is inside Keel's home") });
      }
      expectNoKey(JSON.stringify(fake.calls.map((call) => call.body)), home);
      expectNoKey(JSON.stringify(seq), home);
      await keel.kill('SIGTERM');
    });
  }

  it('view_image of auth.json (directly, through a link, through /proc) is refused and nothing of it reaches the model', async () => {
    const { parent, home } = parentWithHome();
    const view = (id: string, file: string) => ({ sse: responses.stream([responses.functionCall(id, 'view_image', JSON.stringify({ path: file }))]) });
    fake.script(responses.route, [
      view('v1', `${home}/auth.json`),
      view('v2', 'into-home/auth.json'),
      view('v3', `/proc/self/root${home}/auth.json`),
      { sse: responses.stream([responses.message('Seen.')]) },
    ]);
    const { keel, threadId } = await start(home, parent, ['model = "gpt-4.1"'], 'danger-full-access', { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
    const seq = await runTurn(keel, threadId, 'look at it');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    const outputs = (fake.calls.at(-1)!.body as any).input.filter((entry: any) => entry.type === 'function_call_output').map((entry: any) => entry.output);
    expect(outputs).toEqual([
      expect.stringMatching(/^Error: .*is inside Keel's home/),
      expect.stringMatching(/^Error: .*is inside Keel's home/),
      expect.stringMatching(/^Error: .*is inside Keel's home/),
    ]);
    expectNoKey(JSON.stringify(fake.calls.map((call) => call.body)), home);
    await keel.kill('SIGTERM');
  });

  it("the text editor's view of a parent directory lists no entry of the home; a view inside it is refused", async () => {
    const { parent, home } = parentWithHome();
    const edit = (id: string, input: object) => ({ sse: anthropic.stream([anthropic.toolUse(id, 'str_replace_based_edit_tool', JSON.stringify(input))], { stop: 'tool_use' }) });
    fake.script(anthropic.route, [
      edit('t1', { command: 'view', path: parent }),
      edit('t2', { command: 'view', path: `${home}/auth.json` }),
      edit('t3', { command: 'view', path: 'into-home' }),
      { sse: anthropic.stream([anthropic.text('Viewed.')]) },
    ]);
    const config = ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'];
    const { keel, threadId } = await start(home, parent, config, 'danger-full-access', { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url });
    const seq = await runTurn(keel, threadId, 'view it');
    const items = Object.fromEntries(completedItems(seq).map((item) => [item.id, item]));
    expect(items['t1']).toMatchObject({ status: 'completed', aggregatedOutput: 'into-home@\nnotes.txt' });
    for (const id of ['t2', 't3']) expect(items[id], id).toMatchObject({ status: 'failed', aggregatedOutput: expect.stringContaining("is inside Keel's home") });
    expectNoKey(JSON.stringify(fake.calls.map((call) => call.body)), home);
    await keel.kill('SIGTERM');
  });

  it('a database given with --db outside the home is hidden from the tools and from sandboxed commands', async () => {
    const { parent, home } = parentWithHome();
    const db = path.join(parent, 'threads.db');
    const exec = (id: string, cmd: string) => ({ sse: responses.stream([responses.functionCall(id, 'exec_command', JSON.stringify({ cmd }))]) });
    fake.script(responses.route, [
      // `exec 2>&1`: one pipe for both streams, so the lines keep their order (two pipes race).
      exec('sizes', 'exec 2>&1; cat threads.db; cat threads.db-wal; echo tamper > threads.db-wal || echo refused'),
      { sse: responses.stream([responses.functionCall('view', 'view_image', JSON.stringify({ path: db }))]) },
      { sse: responses.stream([responses.message('Done.')]) },
    ]);
    const env = { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` };
    const { keel, threadId } = await start(home, parent, ['model = "gpt-4.1"'], 'workspace-write', env, ['--db', db]);
    const seq = await runTurn(keel, threadId, 'read the store');
    const items = Object.fromEntries(completedItems(seq).map((item) => [item.id, item]));
    // Bound over by /dev/null on a nodev mount: neither readable nor writable in the sandbox.
    const output = items['sizes']!.aggregatedOutput as string;
    expect(output).toMatch(/threads\.db: Permission denied\n.*threads\.db-wal: Permission denied\n.*refused\n$/s);
    expect(output).not.toContain('SQLite format');
    expect(fs.statSync(db).size).toBeGreaterThan(0);
    const told = (fake.calls.at(-1)!.body as any).input.find((entry: any) => entry.type === 'function_call_output' && entry.call_id === 'view').output;
    expect(told).toMatch(/^Error: .* is Keel's thread store, which is hidden from the model$/);
    await keel.kill('SIGTERM');
  });

  it('an image viewed once, then swapped for a link into the home, is not read into the next request', async () => {
    const { parent, home } = parentWithHome();
    fs.writeFileSync(path.join(parent, 'pic.png'), Buffer.from(TINY_PNG_BASE64, 'base64'));
    fake.script(responses.route, [
      { sse: responses.stream([responses.functionCall('v1', 'view_image', JSON.stringify({ path: 'pic.png' }))]) },
      { sse: responses.stream([responses.functionCall('s1', 'exec_command', JSON.stringify({ cmd: `ln -sf ${home}/auth.json pic.png` }))]) },
      { sse: responses.stream([responses.message('Seen.')]) },
    ]);
    const { keel, threadId } = await start(home, parent, ['model = "gpt-4.1"'], 'danger-full-access', { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` });
    await runTurn(keel, threadId, 'look, then swap');
    expect(fs.lstatSync(path.join(parent, 'pic.png')).isSymbolicLink()).toBe(true);
    expect(JSON.stringify(fake.calls[1]!.body)).toContain(TINY_PNG_BASE64);
    expectNoKey(JSON.stringify(fake.calls.map((call) => call.body)), home);
    expect(JSON.stringify(fake.calls[2]!.body)).toMatch(/\[image [^\]]*pic\.png: [^\]]*inside Keel's home or its store/);
    await keel.kill('SIGTERM');
  });
});
