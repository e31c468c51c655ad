// Whether a command line only reads — what the `untrusted` approval policy runs without asking and
// Plan mode lets through. Keel vouches for a line only when it knows every program and every option
// in it to only read, list, search or print: an allowlist of programs (read-only-programs.ts,
// read-only-git.ts), each with an allowlist of its options, never a list of what to refuse. An
// unknown program or option, or anything the word splitter cannot read for certain (expansions
// `$…`, substitutions `$(…)` and backticks, redirections, subshells, background jobs), makes the
// whole line one Keel cannot vouch for; so does an assignment before a command (`PAGER=… git log`),
// since its first word is then no program. Pipelines and lists (`|`, `&&`, `||`, `;`) of such
// commands stay read-only. A `bash -lc '…'` wrapper is looked through.
//
// Only a POSIX shell reads the line the way the splitter does: a command run by any other program
// (exec_command's `shell`: python3, script, node…) is never vouched for, whatever it looks like.
import path from 'node:path';
import { READ_ONLY_PROGRAMS } from './read-only-programs.js';
import { gitOnlyReads } from './read-only-git.js';
import type { Word } from './read-only-options.js';
import { splitCommands, type SimpleCommand } from './shell-words.js';

const POSIX_SHELLS = new Set(['sh', 'bash', 'dash', 'zsh']);
/** Where a program named by an absolute path is taken to be the system's own. */
const SYSTEM_DIRS = new Set(['/bin', '/usr/bin', '/usr/local/bin']);

/**
 * Whether `shell` (exec_command's `shell`; absent: Keel's default, bash or sh) is a POSIX shell: sh,
 * bash, dash or zsh by name, or by its path in a system directory (not `./bash`, a file the
 * workspace may hold).
 */
export function isPosixShell(shell: string | null | undefined): boolean {
  if (shell === null || shell === undefined) return true;
  const name = systemProgram(shell);
  return name !== null && POSIX_SHELLS.has(name);
}

/** Whether `line`, run by `shell` (default: Keel's POSIX shell), only reads. */
export function onlyReads(line: string, shell?: string | null): boolean {
  return isPosixShell(shell) && lineOnlyReads(line, 0);
}

/** `bash -lc '…'` inside `bash -lc '…'` is looked through this deep, no deeper. */
const MAX_WRAPPING = 2;

function lineOnlyReads(line: string, depth: number): boolean {
  const commands = splitCommands(line);
  return commands !== null && commands.length > 0 && commands.every((command) => commandOnlyReads(command, depth));
}

function commandOnlyReads({ words, expands }: SimpleCommand, depth: number): boolean {
  if (expands[0]) return false;
  const program = systemProgram(words[0]!);
  if (program === null) return false;
  const args: Word[] = words.slice(1).map((text, i) => ({ text, expands: expands[i + 1]! }));
  if (POSIX_SHELLS.has(program)) {
    // Only the plain wrapper `sh -c '<script>'` / `-lc`: the script is judged in its place.
    return args.length === 2 && !args.some((arg) => arg.expands) && (args[0]!.text === '-c' || args[0]!.text === '-lc') && depth < MAX_WRAPPING && lineOnlyReads(args[1]!.text, depth + 1);
  }
  if (program === 'git') return gitOnlyReads(args);
  return READ_ONLY_PROGRAMS.get(program)?.(args) ?? false;
}

/** The program a command word names: a bare name (found on PATH), or the name of a file in a system directory; else null. */
function systemProgram(word: string): string | null {
  if (!word.includes('/')) return word === '' ? null : word;
  return SYSTEM_DIRS.has(path.posix.dirname(word)) ? path.posix.basename(word) : null;
}
