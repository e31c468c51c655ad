// Which shell runs a command line, and how a command line becomes an argv: `[shell, '-lc' | '-c',
// cmd]`. bash when the system has one, else sh; `login` (the default, as Codex's exec_command) reads
// the profile so PATH and friends match the user's terminal.
import fs from 'node:fs';
import path from 'node:path';
import { splitCommands } from './shell-words.js';

let found: string | undefined;

/** `bash` from PATH (or /bin/bash), else `/bin/sh`; looked up once per process. */
export function defaultShell(env: NodeJS.ProcessEnv = process.env): string {
  if (found !== undefined) return found;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const dir of [...dirs, '/bin', '/usr/bin']) {
    const candidate = path.join(dir, 'bash');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return (found = candidate);
    } catch {
      // not here
    }
  }
  return (found = '/bin/sh');
}

export interface ShellOptions {
  /** The shell program; default `defaultShell()`. */
  shell?: string;
  /** `-lc` (a login shell, the default) or `-c`. */
  login?: boolean;
}

/** The argv that runs `cmd` through a shell: `[shell, '-lc', cmd]` (or `-c` when `login` is false). */
export function shellArgv(cmd: string, { shell, login = true }: ShellOptions = {}): string[] {
  return [shell ?? defaultShell(), login ? '-lc' : '-c', cmd];
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word quoted for a POSIX shell, left bare when nothing in it is special. */
export function quoteShellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** An argv as one POSIX shell command line that runs it. */
export function joinShellWords(words: readonly string[]): string {
  return words.map(quoteShellWord).join(' ');
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash']);

/** The script of a `bash -lc '<script>'` line (any of bash, sh, zsh, dash; -c or -lc), else null. */
export function shellScript(line: string): string | null {
  const commands = splitCommands(line);
  const words = commands?.length === 1 ? commands[0]!.words : null;
  if (words === null || words.length !== 3 || !SHELLS.has(path.basename(words[0]!)) || (words[1] !== '-c' && words[1] !== '-lc')) return null;
  return words[2]!;
}
