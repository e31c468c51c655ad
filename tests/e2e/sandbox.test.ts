// The sandbox over stdio, with the real bubblewrap: what a workspace-write or read-only thread's
// commands and file tools may not touch — outside the roots, through a symlink, `.git`, Keel's
// home, the network — each refused, and each allowed counterpart working. Without bubblewrap,
// nothing runs and the client is told why at start-up.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { conversationBody } from '../helpers/preamble.js';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { completedItems, params, runTurn, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();
const servers: net.Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

const exec = (callId: string, cmd: string) => wire.functionCall(callId, 'exec_command', JSON.stringify({ cmd }));
const patch = (callId: string, file: string) =>
  wire.functionCall(callId, 'apply_patch', JSON.stringify({ input: `*** Begin Patch\n*** Add File: ${file}\n+hello\n*** End Patch\n` }));

/** One model call per tool call, then a closing message. */
function script(calls: Array<(index: number) => ReturnType<ReturnType<typeof exec>>>) {
  fake.script(wire.route, [...calls.map((call) => ({ sse: wire.stream([call]) })), { sse: wire.stream([wire.message('Done.')]) }]);
}

async function start(cwd: string, thread: Record<string, unknown>, env: Record<string, string> = {}): Promise<{ keel: KeelProcess; threadId: string; home: string }> {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-4.1"\n');
  const keel = spawnKeel({ cwd, home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ...env } });
  await initialized(keel);
  const started = await keel.request('thread/start', { cwd, ...thread } as never);
  return { keel, threadId: started.thread.id, home };
}

const byId = (items: Array<Record<string, any>>) => Object.fromEntries(items.map((item) => [item.id, item]));

describe('the sandbox', () => {
  it('workspace-write: writes outside the roots, through a symlink and into .git are refused, and Keel\'s home is hidden; inside works', async () => {
    const outside = fs.mkdtempSync('/var/tmp/keel-outside-');
    const cwd = workspace({ '.git/HEAD': 'ref: refs/heads/main\n', 'vendor/lib/.git/config': '[core]\n', 'notes.txt': 'mine\n' });
    fs.symlinkSync(outside, path.join(cwd, 'escape'));
    script([
      exec('c_inside', 'echo ok > inside.txt'),
      exec('c_outside', `echo no > ${outside}/direct.txt`),
      exec('c_symlink', 'echo no > escape/through-link.txt'),
      exec('c_git', 'echo no > .git/HEAD'),
      exec('c_nested_git', 'echo no > vendor/lib/.git/config'),
      exec('c_read', 'cat notes.txt'),
      exec('c_home', 'cat "$KEEL_PROBE_HOME/config.toml"'),
      patch('p_inside', 'patched.txt'),
      patch('p_outside', `${outside}/patched.txt`),
      patch('p_symlink', 'escape/patched.txt'),
      patch('p_nested_git', 'vendor/lib/.git/hooks/post-checkout'),
    ]);
    const home = makeTempHome();
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-4.1"\n');
    const keel = spawnKeel({ cwd, home, env: { KEEL_PROBE_HOME: home, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'workspace-write' });
    const seq = await runTurn(keel, thread.id, 'try everything');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    const items = byId(completedItems(seq));
    expect(items['c_inside']).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(fs.readFileSync(path.join(cwd, 'inside.txt'), 'utf8')).toBe('ok\n');
    for (const id of ['c_outside', 'c_symlink', 'c_git', 'c_nested_git']) {
      expect(items[id]).toMatchObject({ status: 'failed', exitCode: 1, aggregatedOutput: expect.stringMatching(/Read-only file system/) });
    }
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readFileSync(path.join(cwd, '.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(fs.readdirSync(path.join(cwd, 'vendor/lib/.git'))).toEqual(['config']);
    expect(fs.readFileSync(path.join(cwd, 'vendor/lib/.git/config'), 'utf8')).toBe('[core]\n');
    expect(items['c_read']).toMatchObject({ status: 'completed', aggregatedOutput: 'mine\n' });
    expect(items['c_home']).toMatchObject({ status: 'failed', aggregatedOutput: expect.stringContaining('No such file or directory') });
    // Keel's own file tools: the same roots, judged where the path really lands.
    expect(items['p_inside']).toMatchObject({ type: 'fileChange', status: 'completed' });
    expect(fs.readFileSync(path.join(cwd, 'patched.txt'), 'utf8')).toBe('hello\n');
    expect(items['p_outside']).toMatchObject({ type: 'fileChange', status: 'declined' });
    expect(items['p_symlink']).toMatchObject({ type: 'fileChange', status: 'declined' });
    expect(items['p_nested_git']).toMatchObject({ type: 'fileChange', status: 'declined' });
    const lastInput = conversationBody(fake.calls.at(-1)!).input as Array<Record<string, any>>;
    const told = lastInput.find((entry) => entry.type === 'function_call_output' && entry.call_id === 'p_symlink')?.output as string;
    expect(told).toMatch(new RegExp(`^The change was not applied: writing ${cwd}/escape/patched.txt \\(really ${outside}/patched.txt\\) is outside the sandbox's writable roots`));
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('read-only: no network (a loopback server is unreachable) unless the policy allows it', async () => {
    const server = net.createServer((socket) => socket.end('hi\n'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
    const cwd = workspace();
    script([exec('c_blocked', connect)]);
    const { keel, threadId } = await start(cwd, { approvalPolicy: 'never', sandbox: 'read-only' });
    const blocked = byId(completedItems(await runTurn(keel, threadId, 'connect')));
    expect(blocked['c_blocked']).toMatchObject({ status: 'failed', exitCode: 1, aggregatedOutput: expect.stringMatching(/Operation not permitted/) });
    expect(blocked['c_blocked'].aggregatedOutput).not.toContain('hi');
    script([exec('c_allowed', connect)]);
    const before = keel.messages.length;
    await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'connect again' }], sandboxPolicy: { type: 'readOnly', networkAccess: true } });
    await keel.waitFor((m) => m.method === 'turn/completed');
    const allowed = byId(completedItems(keel.messages.slice(before)));
    expect(allowed['c_allowed']).toMatchObject({ status: 'completed', exitCode: 0, aggregatedOutput: 'hi\n' });
  });

  it('without bubblewrap: configWarning after the handshake, and a sandboxed command fails saying why, having run nothing', async () => {
    const cwd = workspace();
    script([exec('c_1', 'touch ran.txt')]);
    const { keel, threadId } = await start(cwd, { approvalPolicy: 'never', sandbox: 'workspace-write' }, { PATH: '/nonexistent-keel-path' });
    const warning = await keel.waitFor('configWarning');
    expect(warning.params).toEqual({ summary: expect.stringMatching(/^Keel cannot sandbox commands: bubblewrap \(bwrap\) was not found on PATH\. .*apt-get install bubblewrap/), details: null });
    const seq = await runTurn(keel, threadId, 'touch');
    const item = byId(completedItems(seq))['c_1'];
    expect(item).toMatchObject({
      status: 'failed',
      exitCode: null,
      aggregatedOutput: expect.stringMatching(/^the command was not run: the sandbox is unavailable \(bubblewrap \(bwrap\) was not found on PATH\); install it/),
    });
    expect(fs.existsSync(path.join(cwd, 'ran.txt'))).toBe(false);
    expect(params(seq.find((m) => m.method === 'item/started' && params(m).item.id === 'c_1')!).item.status).toBe('inProgress');
  });
});
