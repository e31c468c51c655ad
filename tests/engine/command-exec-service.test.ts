// The engine's CommandExec on its own (no server, no wire): processIds are scoped to their owner,
// streamed output arrives as neutral chunks, and refusals are values (CommandRefused) that a
// protocol's handler words.
import { describe, expect, it } from 'vitest';
import { CommandExec, type CommandRequest, type OutputChunk } from '../../src/engine/services/command-exec.js';
import { CommandRefused, type CommandRefusal } from '../../src/engine/services/command-refusal.js';
import { pathWithout } from '../helpers/host-path.js';
import { workspace } from '../helpers/workspace.js';

function commandExec(cwd: string, env: NodeJS.ProcessEnv = process.env): CommandExec {
  return new CommandExec({ defaultCwd: () => cwd, commandEnv: () => ({ PATH: env.PATH }), sandbox: { keelHome: '/nonexistent-keel-home', keelSockets: [], hiddenFiles: [], env } });
}

function request(argv: string[], more: Partial<CommandRequest> = {}): CommandRequest {
  return { argv, cwd: null, env: {}, tty: false, size: null, streamStdin: false, streamOutput: false, timeoutMs: null, outputCap: null, sandboxPolicy: null, processId: null, ...more };
}

async function refusalOf(call: Promise<unknown>): Promise<CommandRefusal> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CommandRefused)) throw new Error(`expected a CommandRefused, got ${String(error)}`);
  return error.refusal;
}

const noSignal = () => new AbortController().signal;

describe('CommandExec', () => {
  it('runs in the default cwd with the env overrides and keeps the output', async () => {
    const cwd = workspace();
    const exec = commandExec(cwd);
    expect(await exec.run({}, request(['sh', '-c', 'pwd; echo "$GREETING" >&2'], { env: { GREETING: 'hi' } }), { signal: noSignal() })).toEqual({
      exitCode: 0,
      stdout: `${cwd}\n`,
      stderr: 'hi\n',
    });
  });

  it("streams output as chunks, and a processId is its owner's alone", async () => {
    const exec = commandExec(workspace());
    const owner = {};
    const other = {};
    const chunks: OutputChunk[] = [];
    let sawReady!: () => void;
    const ready = new Promise<void>((resolve) => (sawReady = resolve));
    const running = exec.run(owner, request(['sh', '-c', 'echo ready; cat'], { processId: 'p', streamStdin: true, streamOutput: true }), {
      signal: noSignal(),
      onOutput: (chunk) => {
        chunks.push(chunk);
        if (chunk.bytes.toString().includes('ready')) sawReady();
      },
    });
    await ready;

    expect(await refusalOf(exec.write(other, 'p', Buffer.from('x'), true))).toEqual({ kind: 'unknownProcess', processId: 'p' });
    expect(await refusalOf(exec.terminate(other, 'p'))).toEqual({ kind: 'unknownProcess', processId: 'p' });
    expect(await refusalOf(exec.run(owner, request(['true'], { processId: 'p' }), { signal: noSignal() }))).toEqual({ kind: 'processIdInUse', processId: 'p' });
    expect(await refusalOf(exec.resize(owner, 'p', { rows: 10, cols: 10 }))).toEqual({ kind: 'noTerminal', processId: 'p' });
    // Another owner may use the same id for its own command.
    expect(await exec.run(other, request(['true'], { processId: 'p' }), { signal: noSignal() })).toEqual({ exitCode: 0, stdout: '', stderr: '' });

    await exec.write(owner, 'p', Buffer.from('echoed\n'), true);
    expect(await running).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    // However the pipe cut it: everything on stdout, in order, no cap reached.
    expect({
      streams: [...new Set(chunks.map((chunk) => chunk.stream))],
      text: Buffer.concat(chunks.map((chunk) => chunk.bytes)).toString(),
      capReached: chunks.some((chunk) => chunk.capReached),
    }).toEqual({ streams: ['stdout'], text: 'ready\nechoed\n', capReached: false });
    expect(await refusalOf(exec.terminate(owner, 'p'))).toEqual({ kind: 'unknownProcess', processId: 'p' });
  });

  it('refuses a command that cannot start, and a confining policy where bubblewrap is missing, as values', async () => {
    const cwd = workspace();
    expect(await refusalOf(commandExec(cwd).run({}, request(['true'], { cwd: '/no/such/dir' }), { signal: noSignal() }))).toEqual({
      kind: 'notStarted',
      code: 'cwdNotFound',
      message: 'working directory not found: /no/such/dir',
    });
    const noBwrap = commandExec(cwd, { ...process.env, PATH: pathWithout('bwrap') });
    expect(await refusalOf(noBwrap.run({}, request(['true'], { sandboxPolicy: { type: 'readOnly' } }), { signal: noSignal() }))).toEqual({
      kind: 'sandboxUnavailable',
      policy: 'readOnly',
      cause: 'bubblewrap (bwrap) was not found on PATH',
      fix: 'install it (Debian/Ubuntu: apt-get install bubblewrap), or run the thread with sandbox "danger-full-access"',
    });
  });
});
