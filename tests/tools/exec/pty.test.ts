// Commands in a pseudo-terminal (util-linux `script`): a terminal of the size asked for, input typed
// and echoed, a resize the command sees, and a kill that reaches the terminal's own session.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startExec } from '../../../src/tools/exec/exec-process.js';
import { ptySupport } from '../../../src/tools/exec/pty.js';
import { ExecSessions } from '../../../src/tools/exec/sessions.js';
import { expectAllGone, outputCollector } from './process-helpers.js';

const cwd = os.tmpdir();

describe.runIf(ptySupport().supported)('pseudo-terminals', () => {
  it('runs a session in a terminal and types into it', async () => {
    const sessions = new ExecSessions();
    const started = await sessions.start({ cmd: 'stty size; tty >/dev/null && echo is-a-tty; read x; echo "got $x"', cwd, login: false, tty: true, yieldTimeMs: 250 });
    try {
      const output = outputCollector();
      output.onOutput(started.output);
      while (!output.text.includes('is-a-tty')) output.onOutput((await sessions.write(started.sessionId!, '', { yieldTimeMs: 5_000 })).output);
      expect(output.text).toBe('24 80\r\nis-a-tty\r\n');
      const answered = await sessions.write(started.sessionId!, 'yo\n', { yieldTimeMs: 30_000 });
      // The terminal echoes what is typed, with terminal line endings.
      expect({ sessionId: answered.sessionId, exitCode: answered.exitCode, output: answered.output }).toEqual({ sessionId: null, exitCode: 0, output: 'yo\r\ngot yo\r\n' });
    } finally {
      await sessions.closeAll();
    }
  });

  it('starts at the size asked for, resizes, and ends the terminal session on terminate', async () => {
    const output = outputCollector();
    const process = await startExec({
      argv: ['sh', '-c', 'trap "stty size" WINCH; echo $$; stty size; sleep 30 & echo $!; while :; do sleep 0.05; done'],
      cwd,
      tty: true,
      size: { rows: 30, cols: 100 },
      onOutput: output.onOutput,
    });
    await output.until(/^\d+\r\n30 100\r\n\d+\r\n$/);
    const [shell, , sleeper] = output.text.split('\r\n');
    await process.resize({ rows: 40, cols: 120 });
    await output.until('40 120\r\n');
    process.terminate();
    // The command is killed by the signal: `script` reports it as 128 + 15.
    expect(await process.done).toMatchObject({ terminated: true, exitCode: 143 });
    await expectAllGone([Number(shell), Number(sleeper), process.pid]);
  });

  it('refuses to resize a command without a terminal', async () => {
    const process = await startExec({ argv: ['sleep', '30'], cwd });
    await expect(process.resize({ rows: 1, cols: 1 })).rejects.toMatchObject({ code: 'noPty' });
    process.terminate();
    await process.done;
  });
});
