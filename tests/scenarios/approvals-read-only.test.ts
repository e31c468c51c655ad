// Under `untrusted`, only a command Keel can vouch for as reading runs unasked. Each hole here was a
// command the read-only classifier let through that changed a file — a git option that runs a
// program, a shell that is not a shell, keys typed into a pager — now asked; declined, the marker
// file it would have made does not appear.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { isServerRequest } from '../helpers/approvals.js';
import { initialized, makeTempHome, spawnKeel, type IncomingMessage, type KeelProcess } from '../helpers/keel-process.js';
import { params, turnOf } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

const call = (callId: string, name: string, args: Record<string, unknown>) => wire.functionCall(callId, name, JSON.stringify(args));

/** A git repository with a tracked `a.txt` (holding "needle") and a tracked `run.sh`, changed since. */
function repository(): string {
  const cwd = workspace({ 'a.txt': 'needle\n', 'run.sh': 'echo original\n', 'notes.txt': 'some notes\n' });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });
  git('init', '-q', '.');
  git('add', '.');
  git('commit', '-qm', 'initial');
  fs.writeFileSync(path.join(cwd, 'run.sh'), 'touch marker\n');
  return cwd;
}

async function untrustedThread(cwd: string, home = makeTempHome()): Promise<{ keel: KeelProcess; threadId: string }> {
  const keel = spawnKeel({ serve: inProcess, cwd, home, env: { SHELL: '/bin/sh', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await initialized(keel);
  const started = await keel.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
  return { keel, threadId: started.thread.id };
}

/** Runs a turn, declining every command approval Keel asks for; resolves with the turn's messages. */
async function turnDeclining(keel: KeelProcess, threadId: string): Promise<IncomingMessage[]> {
  const before = keel.messages.length;
  const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  for (;;) {
    const next = await keel.waitFor((m) => isServerRequest(m, 'item/commandExecution/requestApproval') || (m.method === 'turn/completed' && params(m).turn.id === turn.id), 15_000);
    if (next.method === 'turn/completed') break;
    keel.sendLine(JSON.stringify({ id: next.id, result: { decision: 'decline' } }));
  }
  return keel.messages.slice(before);
}

const approvalsOf = (seq: readonly IncomingMessage[]) => seq.filter((m) => isServerRequest(m, 'item/commandExecution/requestApproval')).map((m) => params(m));

/** One exec_command call, then a closing message: asked about, declined, and the marker is not made. */
async function expectAsked(args: Record<string, unknown>, marker = 'marker', home?: string) {
  const cwd = repository();
  fake.script(wire.route, [{ sse: wire.stream([call('call_1', 'exec_command', args)]) }, { sse: wire.stream([wire.message('Done.')]) }]);
  const { keel, threadId } = await untrustedThread(cwd, home);
  const seq = await turnDeclining(keel, threadId);
  expect({ asked: approvalsOf(seq).map((request) => request.itemId), markerMade: fs.existsSync(path.join(cwd, marker)) }).toEqual({ asked: ['call_1'], markerMade: false });
  expect(turnOf(seq)).toMatchObject({ status: 'completed' });
}

describe('untrusted: commands that do more than read are asked', () => {
  it('git grep -O<cmd> (the pager option, attached) is asked', async () => {
    await expectAsked({ cmd: `git grep '-Otouch marker;true' needle` });
  });

  it('git --config-env=diff.external=… is asked', async () => {
    await expectAsked({ cmd: 'git --config-env=diff.external=SHELL diff' });
  });

  it('exec_command with shell python3 is asked, whatever its cmd looks like to a shell', async () => {
    await expectAsked({ cmd: `ls = f'{__import__("os").system("touch marker")}'`, shell: 'python3', login: false });
  });

  it('exec_command with shell python3 is asked even when a prefix rule allows the line read as a shell command', async () => {
    const home = makeTempHome();
    fs.mkdirSync(path.join(home, 'rules'), { mode: 0o700 });
    fs.writeFileSync(path.join(home, 'rules', 'default.rules'), 'prefix_rule(pattern=["ls"], decision="allow")\n', { mode: 0o600 });
    await expectAsked({ cmd: `ls = f'{__import__("os").system("touch marker")}'`, shell: 'python3', login: false }, 'marker', home);
  });

  it('exec_command with shell script is asked', async () => {
    await expectAsked({ cmd: 'ls', shell: 'script', login: false }, 'typescript');
  });

  it('input written to a running pager (!cmd in less) is asked, naming the session and the input', async () => {
    const cwd = repository();
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'exec_command', { cmd: 'less notes.txt', tty: true, yield_time_ms: 1000 })]) },
      {
        respond: (request) => {
          const output = ((request.body as any).input as any[]).find((entry) => entry.type === 'function_call_output' && entry.call_id === 'call_1').output as string;
          const sessionId = Number(/Process running with session ID (\d+)/.exec(output)![1]);
          return { sse: wire.stream([call('call_2', 'write_stdin', { session_id: sessionId, chars: '!touch marker\n', yield_time_ms: 1000 })]) };
        },
      },
      { sse: wire.stream([wire.message('Done.')]) },
    ]);
    const { keel, threadId } = await untrustedThread(cwd);
    const seq = await turnDeclining(keel, threadId);
    const started = params(seq.find((m) => m.method === 'item/started' && params(m).item.id === 'call_1')!).item;
    expect({ asked: approvalsOf(seq).map((request) => request.itemId), markerMade: fs.existsSync(path.join(cwd, 'marker')) }).toEqual({ asked: ['call_2'], markerMade: false });
    expect(approvalsOf(seq)).toEqual([
      {
        threadId,
        turnId: turnOf(seq).id,
        itemId: 'call_2',
        kind: 'command',
        startedAtMs: expect.any(Number),
        approvalId: null,
        environmentId: null,
        reason: `input for the running command \`less notes.txt\` (session ${started.processId}): "!touch marker\\n"`,
        command: started.command,
        cwd,
        commandActions: started.commandActions,
        proposedExecpolicyAmendment: null,
        availableDecisions: ['accept', 'cancel'],
      },
    ]);
    expect(params(seq.find((m) => m.method === 'item/completed' && params(m).item.id === 'call_2')!).item).toMatchObject({ status: 'declined', processId: started.processId });
    const told = (conversationBody(fake.calls[2]!).input as Array<Record<string, any>>).find((e) => e.type === 'function_call_output' && e.call_id === 'call_2')?.output;
    expect(told).toBe('The input was not written: the client answered decline, which the approval request did not offer (it offered accept, cancel)');
  });

  it('a command that only reads still runs unasked (git grep, git diff, less)', async () => {
    const cwd = repository();
    fake.script(wire.route, [
      { sse: wire.stream([call('call_1', 'exec_command', { cmd: 'git grep -n needle && git --no-pager diff --stat && cat a.txt | wc -l' })]) },
      { sse: wire.stream([wire.message('Done.')]) },
    ]);
    const { keel, threadId } = await untrustedThread(cwd);
    const seq = await turnDeclining(keel, threadId);
    expect(approvalsOf(seq)).toEqual([]);
    expect(params(seq.find((m) => m.method === 'item/completed' && params(m).item.id === 'call_1')!).item).toMatchObject({ status: 'completed', exitCode: 0 });
  });
});
