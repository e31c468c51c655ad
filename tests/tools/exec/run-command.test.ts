// runCommand and ExecProcess against real processes: output, exit status, the environment, and the
// end of whole process groups on a timeout, an abort or terminate().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecError } from '../../../src/tools/exec/errors.js';
import { startExec, type ExecResult } from '../../../src/tools/exec/exec-process.js';
import { runCommand } from '../../../src/tools/exec/run-command.js';
import { liveGroupMembers, signalGroup } from '../../../src/tools/exec/process-group.js';
import { expectAllGone, groupOf, outputCollector, waitUntil } from './process-helpers.js';

const cwd = os.tmpdir();
/** Three processes in one group: the shell and two sleeps, whose pids it prints. */
const TREE = 'sleep 30 & echo $!; sleep 30 & echo $!; wait';
/** The shell and the two sleeps it printed, once it has printed them. */
async function treeOf(pid: number, output: ReturnType<typeof outputCollector>): Promise<number[]> {
  await output.until(/^\d+\n\d+\n$/);
  return [pid, ...output.text.trim().split('\n').map(Number)];
}

describe('runCommand', () => {
  it('runs a shell command line and reports its output and exit code', async () => {
    const result = await runCommand({ cmd: 'echo out; echo err >&2; exit 3', cwd, login: false });
    expect({ ...result, durationMs: 0, output: result.output.split('\n').sort().join('\n') }).toEqual({
      exitCode: 3,
      signal: null,
      output: '\nerr\nout',
      outputBytes: 8,
      elidedBytes: 0,
      timedOut: false,
      aborted: false,
      terminated: false,
      durationMs: 0,
    });
  });

  it('merges stdout and stderr in arrival order', async () => {
    const result = await runCommand({ argv: ['sh', '-c', 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three'], cwd });
    expect(result.output).toBe('one\ntwo\nthree\n');
  });

  it('runs an argv as given, without a shell', async () => {
    const result = await runCommand({ argv: ['printf', '%s|', 'a b', '$HOME', "it's"], cwd });
    expect(result.output).toBe("a b|$HOME|it's|");
  });

  it('decodes a character split across two reads', async () => {
    const chunks: string[] = [];
    const result = await runCommand({ argv: ['sh', '-c', "printf '\\303'; sleep 0.1; printf '\\251!'"], cwd, onOutput: (text) => void chunks.push(text) });
    expect(result.output).toBe('é!');
    expect(chunks.join('')).toBe('é!');
    expect(result.outputBytes).toBe(3);
  });

  it('gives the command the agent environment and the working directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-exec-'));
    const result = await runCommand({ cmd: 'pwd; echo "$PAGER $GIT_PAGER $TERM $NO_COLOR $LC_ALL"', cwd: dir, login: false });
    expect(result.output).toBe(`${fs.realpathSync(dir)}\ncat cat dumb 1 C.UTF-8\n`);
    fs.rmSync(dir, { recursive: true });
  });

  it('closes stdin: a command that reads it sees EOF', async () => {
    const result = await runCommand({ argv: ['cat'], cwd });
    expect([result.exitCode, result.output]).toEqual([0, '']);
  });

  it('keeps the head and the tail of a long output and says how much it dropped', async () => {
    const result = await runCommand({ argv: ['seq', '1', '100000'], cwd, maxOutputBytes: 1000 });
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output.endsWith('99999\n100000\n')).toBe(true);
    expect(result.output).toMatch(/\n\[… \d+ bytes \(\d+ lines\) elided …\]\n/);
    expect(result.outputBytes).toBe(588_895);
    expect(result.elidedBytes).toBe(result.outputBytes - 1000);
  });

  it('times out: the whole process group ends, and the result says so', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', TREE], cwd, timeoutMs: 1_500, onOutput: output.onOutput });
    const result = await process.done;
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true, aborted: false, terminated: false });
    await expectAllGone(await treeOf(process.pid, output));
    await waitUntil('the group has no running process', () => liveGroupMembers(process.pid).length === 0);
  });

  it('stops on the abort signal mid-command, the whole group with it', async () => {
    const abort = new AbortController();
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', TREE], cwd, signal: abort.signal, onOutput: output.onOutput });
    const tree = await treeOf(process.pid, output);
    abort.abort();
    expect(await process.done).toMatchObject({ exitCode: null, signal: 'SIGTERM', aborted: true, timedOut: false, terminated: false });
    await expectAllGone(tree);
  });

  it('ends on terminate(), the whole group with it', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', TREE], cwd, onOutput: output.onOutput });
    const tree = await treeOf(process.pid, output);
    process.terminate();
    expect(await process.done).toMatchObject({ signal: 'SIGTERM', terminated: true, timedOut: false, aborted: false });
    await expectAllGone(tree);
  });

  it('does not run a command whose signal is already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await runCommand({ cmd: 'echo never', cwd, signal: abort.signal })).toMatchObject({ aborted: true, exitCode: null, output: '' });
  });

  it('kills what ignores SIGTERM once the grace is over', async () => {
    const output = outputCollector();
    const abort = new AbortController();
    // An ignored signal stays ignored across exec: the sleeps ignore SIGTERM too.
    const process = await startExec({ argv: ['sh', '-c', `trap '' TERM; ${TREE}`], cwd, signal: abort.signal, killGraceMs: 200, onOutput: output.onOutput });
    const tree = await treeOf(process.pid, output);
    abort.abort();
    expect(await process.done).toMatchObject({ signal: 'SIGKILL', aborted: true });
    await expectAllGone(tree);
  });

  it('reports a command that ended while a background process holds its output open', async () => {
    const output = outputCollector();
    const process = await startExec({ argv: ['sh', '-c', 'echo $$; sleep 30 & echo done'], cwd, drainMs: 100, onOutput: output.onOutput });
    const result: ExecResult = await process.done;
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.output).toBe(`${process.pid}\ndone\n`);
    const [sleeper] = await groupOf(process.pid, 1);
    signalGroup(process.pid, 'SIGKILL');
    await expectAllGone([sleeper!]);
  });

  it('pauses reading while an output callback is busy, and reads on after', async () => {
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const process = await startExec({
      argv: ['sh', '-c', 'echo first; echo second'],
      cwd,
      onOutput: (text) => {
        seen.push(text);
        return seen.length === 1 ? busy : undefined;
      },
    });
    const result = process.done;
    release();
    expect((await result).output).toBe('first\nsecond\n');
    expect(seen.join('')).toBe('first\nsecond\n');
  });

  it('writes to stdin when it is a pipe, and closes it', async () => {
    const process = await startExec({ argv: ['cat'], cwd });
    await process.write('hello ');
    await process.write(Buffer.from('world'));
    process.closeStdin();
    expect(process.stdinOpen).toBe(false);
    await expect(process.write('late')).rejects.toMatchObject({ code: 'stdinClosed' });
    expect(await process.done).toMatchObject({ exitCode: 0, output: 'hello world' });
  });

  it.each<[string, Parameters<typeof runCommand>[0], string, string]>([
    ['a missing working directory', { cmd: 'true', cwd: '/no/such/dir' }, 'cwdNotFound', 'working directory not found: /no/such/dir'],
    ['a program that does not exist', { argv: ['/no/such/program'], cwd }, 'spawnFailed', 'failed to start /no/such/program: spawn /no/such/program ENOENT'],
    ['an empty argv', { argv: [], cwd }, 'spawnFailed', 'no command to run'],
  ])('refuses to start with %s', async (_name, options, code, message) => {
    const error = await runCommand(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error).toMatchObject({ code, message });
  });
});
