// Pseudo-terminals without a native module: util-linux `script` opens one and runs the command in
// it (`script -qfec <cmd> /dev/null`: quiet, flushed, the command's exit status, no typescript
// file). It forwards its stdin to the terminal (EOF on our pipe becomes EOF at the terminal) and
// the terminal's output to its stdout, so stdout and stderr arrive merged, with terminal line
// endings (\r\n) and echo of what is typed. The command runs in the terminal's own session:
// killing a pty command signals that session's group as well as ours.
//
// Size: `script` gives the terminal no size of its own, so the command line first sets it (`stty
// rows R cols C`), then execs the argv. Resizing later sets the size on the terminal device from
// outside (`stty -F /dev/pts/N rows R cols C`); the kernel then sends SIGWINCH to its foreground
// group, as a terminal emulator's resize would.
//
// Where `script` is missing, is not util-linux's (macOS, BSD), or the platform is not Linux, a pty
// is refused with a clear error (ptySupport().reason).
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ExecError } from './errors.js';
import { childPids } from './process-group.js';
import { joinShellWords } from './shell.js';

export interface TerminalSize {
  rows: number;
  cols: number;
}

export const DEFAULT_TERMINAL_SIZE: TerminalSize = { rows: 24, cols: 80 };

export type PtySupport = { supported: true } | { supported: false; reason: string };

let support: PtySupport | undefined;

/** Whether commands can run in a pseudo-terminal here; checked once per process. */
export function ptySupport(): PtySupport {
  if (support !== undefined) return support;
  if (process.platform !== 'linux') {
    return (support = { supported: false, reason: `not supported: no pseudo-terminal (Keel makes one with util-linux \`script\`, on Linux only; this is ${process.platform})` });
  }
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (probe.error !== undefined || !`${probe.stdout}${probe.stderr}`.includes('util-linux')) {
    return (support = { supported: false, reason: 'not supported: no pseudo-terminal (Keel makes one with util-linux `script`, which is not installed)' });
  }
  return (support = { supported: true });
}

/** Throws ExecError('noPty') where there is no pseudo-terminal. */
export function requirePty(): void {
  const found = ptySupport();
  if (!found.supported) throw new ExecError('noPty', found.reason);
}

/** The argv and environment that run `argv` in a new pseudo-terminal of `size`. */
export function ptyCommand(argv: readonly string[], size: TerminalSize, env: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv } {
  // `script` runs the line with $SHELL -c: sh, so the line is POSIX; the command gets the caller's SHELL back.
  const shell = env.SHELL === undefined ? 'unset SHELL; exec' : `SHELL=${joinShellWords([env.SHELL])} exec`;
  const line = `stty rows ${size.rows} cols ${size.cols} 2>/dev/null; ${shell} ${joinShellWords(argv)}`;
  return { argv: ['script', '-qfec', line, '/dev/null'], env: { ...env, SHELL: '/bin/sh' } };
}

/** The process `script` runs in the terminal (its session and group leader), once it has started. */
export function ptyLeader(scriptPid: number): number | null {
  return childPids(scriptPid)[0] ?? null;
}

/** Sets the terminal size of a running pty command (`script`'s pid); SIGWINCH follows. */
export async function resizePty(scriptPid: number, size: TerminalSize): Promise<void> {
  const leader = ptyLeader(scriptPid);
  let device: string | null = null;
  try {
    device = leader === null ? null : fs.readlinkSync(`/proc/${leader}/fd/0`);
  } catch {
    device = null;
  }
  if (device === null || !device.startsWith('/dev/')) throw new ExecError('noPty', 'the command has no terminal to resize (it has ended)');
  await new Promise<void>((resolve, reject) => {
    execFile('stty', ['-F', device, 'rows', String(size.rows), 'cols', String(size.cols)], { timeout: 5_000 }, (error, _stdout, stderr) =>
      error ? reject(new ExecError('noPty', `stty could not resize ${device}: ${stderr.trim() || error.message}`)) : resolve(),
    );
  });
}
