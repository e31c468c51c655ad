// ExecSessions (Codex's unified exec) against real processes: yields, input, polls, and the end of
// whole process groups — by timeout, interrupt, terminate, closeAll or to make room.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecError } from '../../../src/tools/exec/errors.js';
import type { ExecResult } from '../../../src/tools/exec/exec-process.js';
import { formatExecOutput } from '../../../src/tools/exec/format-output.js';
import { ExecSessions, STDIN_CLOSED_MESSAGE } from '../../../src/tools/exec/sessions.js';
import { expectAllGone, outputCollector, waitUntil } from './process-helpers.js';

const cwd = os.tmpdir();
/** Prints the shell's pid and its background sleep's, then ticks until it is stopped. */
const TICKER = 'echo $$; sleep 30 & echo $!; i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done';

let sessions: ExecSessions;
afterEach(async () => {
  await sessions?.closeAll();
});

/** The pids TICKER printed, once it has. */
async function tickerPids(output: ReturnType<typeof outputCollector>): Promise<number[]> {
  await output.until(/^\d+\n\d+\n/);
  return output.text.split('\n').slice(0, 2).map(Number);
}

describe('ExecSessions', () => {
  it('returns at once with the exit of a command that ends within the yield', async () => {
    sessions = new ExecSessions();
    const chunk = await sessions.start({ cmd: 'echo hi; exit 4', cwd, login: false });
    expect({ ...chunk, wallTimeMs: 0, pid: 0, result: null }).toEqual({ sessionId: null, exitCode: 4, output: 'hi\n', originalBytes: 3, wallTimeMs: 0, pid: 0, result: null });
    expect(chunk.result).toMatchObject({ exitCode: 4, output: 'hi\n' });
    expect(sessions.size).toBe(0);
  });

  it('streams a long-running command, keeps it addressable, then times it out with its children gone', async () => {
    sessions = new ExecSessions({ newId: () => 4242 });
    const output = outputCollector();
    let exited: ExecResult | undefined;
    const first = await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, timeoutMs: 2_000, onOutput: output.onOutput, onExit: (result) => (exited = result) });
    expect([first.sessionId, first.exitCode]).toEqual([4242, null]);
    expect(formatExecOutput(first)).toMatch(/^Wall time: \d+\.\d{4} seconds\nProcess running with session ID 4242\nOriginal token count: \d+\nOutput:\n/);
    const pids = await tickerPids(output);
    await output.until('tick 3');
    // A poll waits until the timeout ends the command, and reports its exit.
    const last = await sessions.write(4242, '', { yieldTimeMs: 30_000 });
    expect([last.sessionId, last.exitCode]).toEqual([null, 143]);
    expect(last.output).toMatch(/tick \d+\n$/);
    expect(exited).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
    expect(exited!.output).toBe(output.text);
    await expectAllGone(pids);
    expect(sessions.size).toBe(0);
  });

  it('writes to a command waiting for input', async () => {
    sessions = new ExecSessions();
    const waiting = await sessions.start({ cmd: 'read name; echo "hello $name"', cwd, login: false, yieldTimeMs: 250 });
    expect([waiting.sessionId === null, waiting.output]).toEqual([false, '']);
    const answered = await sessions.write(waiting.sessionId!, 'keel\n', { yieldTimeMs: 30_000 });
    expect({ sessionId: answered.sessionId, exitCode: answered.exitCode, output: answered.output }).toEqual({ sessionId: null, exitCode: 0, output: 'hello keel\n' });
  });

  it('ends a session and its whole group when the turn is interrupted', async () => {
    sessions = new ExecSessions();
    const interrupt = new AbortController();
    const output = outputCollector();
    let exited: ExecResult | undefined;
    const running = await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, signal: interrupt.signal, onOutput: output.onOutput, onExit: (result) => (exited = result) });
    const pids = await tickerPids(output);
    interrupt.abort();
    await waitUntil('the session has exited', () => exited !== undefined);
    expect(exited).toMatchObject({ aborted: true, signal: 'SIGTERM' });
    await expectAllGone(pids);
    const reported = await sessions.write(running.sessionId!, '');
    expect([reported.sessionId, reported.exitCode]).toEqual([null, 143]);
  });

  it('terminates a session; then its id is unknown, in Codex words', async () => {
    sessions = new ExecSessions();
    const output = outputCollector();
    const running = await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, onOutput: output.onOutput });
    const pids = await tickerPids(output);
    expect(await sessions.terminate(running.sessionId!)).toMatchObject({ terminated: true });
    await expectAllGone(pids);
    const error = await sessions.write(running.sessionId!, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect(error).toMatchObject({ code: 'unknownSession', message: `Unknown process id ${running.sessionId}` });
  });

  it('answers at its yield even when the command does not read the input', async () => {
    sessions = new ExecSessions();
    const running = await sessions.start({ cmd: 'sleep 30', cwd, login: false, yieldTimeMs: 250 });
    // Far more than a pipe holds: the write cannot complete while nothing reads.
    const chunk = await sessions.write(running.sessionId!, 'x'.repeat(1_000_000), { yieldTimeMs: 250 });
    expect([chunk.sessionId, chunk.exitCode, chunk.output]).toEqual([running.sessionId, null, '']);
  });

  it('refuses input to a session whose stdin is closed, in Codex words', async () => {
    sessions = new ExecSessions();
    const running = await sessions.start({ cmd: 'sleep 30', cwd, login: false, yieldTimeMs: 250, stdin: 'closed' });
    await expect(sessions.write(running.sessionId!, 'x')).rejects.toMatchObject({ code: 'stdinClosed', message: STDIN_CLOSED_MESSAGE });
  });

  it('closeAll ends every session, each whole group', async () => {
    sessions = new ExecSessions();
    const outputs = [outputCollector(), outputCollector()];
    for (const output of outputs) await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, onOutput: output.onOutput });
    const pids = (await Promise.all(outputs.map(tickerPids))).flat();
    expect(sessions.list().map((info) => info.running)).toEqual([true, true]);
    await sessions.closeAll();
    expect(sessions.size).toBe(0);
    await expectAllGone(pids);
  });

  it('makes room at the cap by ending the least recently used session', async () => {
    let next = 1000;
    sessions = new ExecSessions({ maxSessions: 2, newId: () => next++ });
    const outputs = [outputCollector(), outputCollector(), outputCollector()];
    await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, onOutput: outputs[0]!.onOutput });
    await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, onOutput: outputs[1]!.onOutput });
    await sessions.write(1000, ' ', { yieldTimeMs: 250 });
    const oldest = await tickerPids(outputs[1]!);
    await sessions.start({ cmd: TICKER, cwd, login: false, yieldTimeMs: 250, onOutput: outputs[2]!.onOutput });
    expect(sessions.list().map((info) => info.sessionId)).toEqual([1000, 1002]);
    await expectAllGone(oldest);
  });

  it('reports the exit of a command that ended between calls, its last output included', async () => {
    sessions = new ExecSessions();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-session-'));
    let exited = false;
    const started = await sessions.start({
      cmd: 'while [ ! -e go ]; do sleep 0.05; done; echo bye',
      cwd: dir,
      login: false,
      yieldTimeMs: 250,
      onExit: () => (exited = true),
    });
    expect(started.sessionId).not.toBeNull();
    fs.writeFileSync(path.join(dir, 'go'), '');
    await waitUntil('the command has exited', () => exited);
    const chunk = await sessions.write(started.sessionId!, 'ignored\n');
    expect({ sessionId: chunk.sessionId, exitCode: chunk.exitCode, output: chunk.output }).toEqual({ sessionId: null, exitCode: 0, output: 'bye\n' });
    fs.rmSync(dir, { recursive: true });
  });
});
