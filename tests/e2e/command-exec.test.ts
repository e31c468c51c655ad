// command/exec over stdio: one command a client runs outside any turn — buffered or streamed, capped
// and timed out with its whole process group gone, fed through command/exec/write, terminated,
// resized in a pty — and every refusal, each as a whole error object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandExecParams, CommandExecResponse } from '../../generated/protocol.js';
import { ptySupport } from '../../src/tools/exec/pty.js';
import { errorOf, initialized, spawnKeel, type KeelProcess, type RpcErrorObject } from '../helpers/keel-process.js';
import { expectAllGone, waitUntil } from '../tools/exec/process-helpers.js';

async function keelReady(cwd?: string): Promise<KeelProcess> {
  const keel = spawnKeel({ cwd });
  await initialized(keel);
  return keel;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The text streamed so far for `processId` on `stream`. */
function streamed(keel: KeelProcess, processId: string, stream = 'stdout'): string {
  return keel.messages
    .filter((m) => m.method === 'command/exec/outputDelta')
    .map((m) => m.params as { processId: string; stream: string; deltaBase64: string })
    .filter((delta) => delta.processId === processId && delta.stream === stream)
    .map((delta) => Buffer.from(delta.deltaBase64, 'base64').toString('utf8'))
    .join('');
}

function waitForStreamed(keel: KeelProcess, processId: string, pattern: RegExp): Promise<void> {
  return waitUntil(`stream of ${processId} matches ${pattern} (so far ${JSON.stringify(streamed(keel, processId))})`, () => pattern.test(streamed(keel, processId)));
}

/** Sends command/exec without waiting for its answer (it comes when the command ends). */
function startExec(keel: KeelProcess, params: CommandExecParams, timeoutMs = 20_000): Promise<CommandExecResponse> {
  return keel.request('command/exec', params, timeoutMs);
}

/** The shell and two background sleeps in one group, whose pids it prints (on stderr), then `rest`. */
const tree = (rest: string) => `echo $$ >&2; sleep 30 & echo $! >&2; sleep 30 & echo $! >&2; ${rest}`;
const pidsIn = (text: string) => text.trim().split('\n').map(Number);

describe('command/exec', () => {
  it('runs an argv to its end and answers exit code, stdout and stderr', async () => {
    const keel = await keelReady();
    expect(await keel.request('command/exec', { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] })).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await keel.request('command/exec', { command: ['printf', '%s|', 'a b', '$HOME'] })).toEqual({ exitCode: 0, stdout: 'a b|$HOME|', stderr: '' });
  });

  it("runs in Keel's cwd, or the one given (relative to Keel's), with env overrides", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-exec-cwd-')));
    fs.mkdirSync(path.join(dir, 'sub'));
    const keel = await keelReady(dir);
    expect(await keel.request('command/exec', { command: ['pwd'] })).toEqual({ exitCode: 0, stdout: `${dir}\n`, stderr: '' });
    expect(await keel.request('command/exec', { command: ['pwd'], cwd: 'sub' })).toEqual({ exitCode: 0, stdout: `${dir}/sub\n`, stderr: '' });
    const env = await keel.request('command/exec', { command: ['sh', '-c', 'echo "${KEEL_X-unset} ${HOME-unset}"'], env: { KEEL_X: 'set', HOME: null } });
    expect(env).toEqual({ exitCode: 0, stdout: 'set unset\n', stderr: '' });
    fs.rmSync(dir, { recursive: true });
  });

  it('caps the output and times out: exit code 124, the whole process group gone', async () => {
    const keel = await keelReady();
    const answer = await keel.request('command/exec', { command: ['sh', '-c', tree('yes | head -c 5000; wait')], outputBytesCap: 1000, timeoutMs: 1_500 });
    expect({ ...answer, stderr: '' }).toEqual({ exitCode: 124, stdout: 'y\n'.repeat(500), stderr: '' });
    await expectAllGone(pidsIn(answer.stderr));
  });

  it('streams a long-running command, then times it out with its children gone', async () => {
    const keel = await keelReady();
    const running = startExec(keel, {
      command: ['sh', '-c', tree('i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done')],
      processId: 'ticker',
      streamStdoutStderr: true,
      timeoutMs: 2_000,
    });
    await waitForStreamed(keel, 'ticker', /tick 3\n/);
    const pids = pidsIn(streamed(keel, 'ticker', 'stderr'));
    // Streamed output is not repeated in the answer.
    expect(await running).toEqual({ exitCode: 124, stdout: '', stderr: '' });
    await expectAllGone(pids);
    const deltas = keel.messages.filter((m) => m.method === 'command/exec/outputDelta');
    const answerAt = keel.messages.findIndex((m) => m.id !== undefined && (m.result as CommandExecResponse | undefined)?.exitCode === 124);
    expect(deltas.every((delta) => keel.messages.indexOf(delta) < answerAt)).toBe(true);
    expect(deltas.every((delta) => (delta.params as { capReached: boolean }).capReached === false)).toBe(true);
  });

  it('says so on the last streamed chunk when the cap is reached', async () => {
    const keel = await keelReady();
    expect(await keel.request('command/exec', { command: ['sh', '-c', 'yes | head -c 3000'], processId: 'capped', streamStdoutStderr: true, outputBytesCap: 100 })).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const deltas = keel.messages.filter((m) => m.method === 'command/exec/outputDelta').map((m) => m.params as { deltaBase64: string; capReached: boolean });
    expect(streamed(keel, 'capped')).toBe('y\n'.repeat(50));
    expect(deltas.map((delta) => delta.capReached)).toEqual([...deltas.slice(1).map(() => false), true]);
  });

  it('writes to a command waiting for input, then closes its stdin', async () => {
    const keel = await keelReady();
    const running = startExec(keel, { command: ['sh', '-c', 'read line; echo "got $line"; cat'], processId: 'reader', streamStdin: true });
    expect(await keel.request('command/exec/write', { processId: 'reader', deltaBase64: b64('hello\n') })).toEqual({});
    expect(await keel.request('command/exec/write', { processId: 'reader', deltaBase64: b64('rest'), closeStdin: true })).toEqual({});
    expect(await running).toEqual({ exitCode: 0, stdout: 'got hello\nrest', stderr: '' });
  });

  it('terminates a running command: its whole group ends and command/exec answers', async () => {
    const keel = await keelReady();
    const running = startExec(keel, { command: ['sh', '-c', tree('echo ready; wait')], processId: 'long', streamStdoutStderr: true, disableTimeout: true });
    await waitForStreamed(keel, 'long', /ready\n/);
    const pids = pidsIn(streamed(keel, 'long', 'stderr'));
    expect(await keel.request('command/exec/terminate', { processId: 'long' })).toEqual({});
    expect(await running).toEqual({ exitCode: 143, stdout: '', stderr: '' });
    await expectAllGone(pids);
  });

  it('ends running commands when Keel is stopped', async () => {
    const keel = await keelReady();
    const running = startExec(keel, { command: ['sh', '-c', tree('echo ready; wait')], processId: 'bye', streamStdoutStderr: true, disableTimeout: true }).catch(() => null);
    await waitForStreamed(keel, 'bye', /ready\n/);
    const pids = pidsIn(streamed(keel, 'bye', 'stderr'));
    await keel.kill('SIGTERM');
    expect(await keel.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(pids);
    await running;
  });

  describe.runIf(ptySupport().supported)('in a pseudo-terminal', () => {
    it('runs with the size asked for, takes input (echoed), and streams on stdout', async () => {
      const keel = await keelReady();
      const running = startExec(keel, { command: ['sh', '-c', 'stty size; read x; echo "got $x"'], processId: 'pty', tty: true, size: { rows: 30, cols: 100 } });
      await waitForStreamed(keel, 'pty', /30 100\r\n/);
      expect(await keel.request('command/exec/write', { processId: 'pty', deltaBase64: b64('yo\n') })).toEqual({});
      expect(await running).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(streamed(keel, 'pty')).toBe('30 100\r\nyo\r\ngot yo\r\n');
    });

    it('resizes the terminal: the command sees SIGWINCH and the new size', async () => {
      const keel = await keelReady();
      const running = startExec(keel, { command: ['sh', '-c', 'trap "stty size" WINCH; echo ready; while :; do sleep 0.05; done'], processId: 'winch', tty: true });
      await waitForStreamed(keel, 'winch', /ready\r\n/);
      expect(await keel.request('command/exec/resize', { processId: 'winch', size: { rows: 40, cols: 120 } })).toEqual({});
      await waitForStreamed(keel, 'winch', /40 120\r\n/);
      await keel.request('command/exec/terminate', { processId: 'winch' });
      expect(await running).toEqual({ exitCode: 143, stdout: '', stderr: '' });
    });
  });

  describe('refusals', () => {
    const invalidParams = (field: string, message: string): RpcErrorObject => ({
      code: -32602,
      message: `Invalid params: ${field}: ${message}`,
      data: { issues: [{ path: field, message }] },
    });

    it.each<[string, CommandExecParams, RpcErrorObject]>([
      ['an empty command', { command: [] }, { code: -32600, message: 'command must not be empty' }],
      ['a size without tty', { command: ['true'], size: { rows: 1, cols: 1 } }, invalidParams('size', 'requires tty: true')],
      ['a zero size', { command: ['true'], tty: true, processId: 'p', size: { rows: 0, cols: 80 } }, invalidParams('size', 'rows and cols must be greater than 0')],
      ['a cap and no cap', { command: ['true'], outputBytesCap: 10, disableOutputCap: true }, invalidParams('outputBytesCap', 'cannot be combined with disableOutputCap')],
      ['a timeout and no timeout', { command: ['true'], timeoutMs: 10, disableTimeout: true }, invalidParams('timeoutMs', 'cannot be combined with disableTimeout')],
      ['a negative timeout', { command: ['true'], timeoutMs: -1 }, invalidParams('timeoutMs', 'must be non-negative, got -1')],
      ['streaming without a processId', { command: ['true'], streamStdoutStderr: true }, { code: -32600, message: 'command/exec tty or streaming requires a client-supplied processId' }],
      ['a missing working directory', { command: ['true'], cwd: '/no/such/dir' }, invalidParams('cwd', 'working directory not found: /no/such/dir')],
      ['a program that does not exist', { command: ['/no/such/program'] }, { code: -32600, message: 'failed to start /no/such/program: spawn /no/such/program ENOENT' }],
    ])('%s', async (_name, params, error) => {
      const keel = await keelReady();
      expect(await errorOf(keel.request('command/exec', params))).toEqual(error);
    });

    it('refuses a permission profile (experimental): Keel has none', async () => {
      const keel = spawnKeel();
      await initialized(keel, { experimentalApi: true });
      expect(await errorOf(keel.request('command/exec', { command: ['true'], permissionProfile: 'workspace' }))).toEqual({
        code: -32600,
        message: 'unknown permission profile: workspace (Keel has no named permission profiles; permissionProfile/list is empty)',
      });
    });

    it('refuses controls for a process it does not know, or cannot do', async () => {
      const keel = await keelReady();
      const unknown = { code: -32600, message: 'no active command/exec for process id "nope"' };
      expect(await errorOf(keel.request('command/exec/write', { processId: 'nope', closeStdin: true }))).toEqual(unknown);
      expect(await errorOf(keel.request('command/exec/terminate', { processId: 'nope' }))).toEqual(unknown);
      expect(await errorOf(keel.request('command/exec/resize', { processId: 'nope', size: { rows: 1, cols: 1 } }))).toEqual(unknown);
      expect(await errorOf(keel.request('command/exec/write', { processId: 'nope' }))).toEqual(invalidParams('deltaBase64', 'either deltaBase64 or closeStdin is required'));
      expect(await errorOf(keel.request('command/exec/write', { processId: 'nope', deltaBase64: 'not base64!' }))).toEqual(invalidParams('deltaBase64', 'not valid base64'));

      const running = startExec(keel, { command: ['sh', '-c', 'echo ready; sleep 30'], processId: 'plain', streamStdoutStderr: true });
      await waitForStreamed(keel, 'plain', /ready\n/);
      expect(await errorOf(keel.request('command/exec', { command: ['true'], processId: 'plain' }))).toEqual({ code: -32600, message: 'duplicate active command/exec process id: "plain"' });
      expect(await errorOf(keel.request('command/exec/write', { processId: 'plain', deltaBase64: b64('x') }))).toEqual({ code: -32600, message: 'stdin streaming is not enabled for this command/exec' });
      expect(await errorOf(keel.request('command/exec/resize', { processId: 'plain', size: { rows: 1, cols: 1 } }))).toEqual({
        code: -32600,
        message: 'command/exec "plain" has no terminal to resize: it was started without tty',
      });
      expect(await errorOf(keel.request('command/exec/resize', { processId: 'plain', size: { rows: 0, cols: 1 } }))).toEqual(invalidParams('size', 'rows and cols must be greater than 0'));
      await keel.request('command/exec/terminate', { processId: 'plain' });
      expect((await running).exitCode).toBe(143);
    });

    it('refuses a write once stdin is closed', async () => {
      const keel = await keelReady();
      const running = startExec(keel, { command: ['sh', '-c', 'cat; sleep 30'], processId: 'closing', streamStdin: true });
      await keel.request('command/exec/write', { processId: 'closing', closeStdin: true });
      expect(await errorOf(keel.request('command/exec/write', { processId: 'closing', deltaBase64: b64('x') }))).toEqual({ code: -32600, message: 'stdin is already closed' });
      await keel.request('command/exec/terminate', { processId: 'closing' });
      await running;
    });
  });
});
