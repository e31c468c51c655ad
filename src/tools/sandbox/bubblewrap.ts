// A command confined with bubblewrap: the whole filesystem read-only, the writable roots bound
// read-write over it, their `.git` (and those of repositories nested in them, git-dirs.ts) and
// Keel's home bound back read-only, Keel's home hidden under an empty read-only tmpfs but for its
// skills, bound back read-only (policy.ts, shownInsideHidden) (and a
// database kept outside it, `--db`, under /dev/null), Keel's own
// unix sockets covered, its own PID namespace, and no network unless the policy allows it: a
// network namespace of its own (`--unshare-net`) and the seccomp filter of seccomp.ts, since a
// namespace cuts IP but not unix sockets reached by path.
//
// Keel's listener sockets (`--listen unix://PATH`) are covered with /dev/null whatever the policy:
// a command that reached one would be a client of Keel, free to run `command/exec` unconfined.
// Covered, connect() on the path finds a character device and fails (ECONNREFUSED); the socket
// itself is untouched, so Keel's clients outside keep working. One under Keel's home is hidden
// with the home already.
//
// bwrap applies mounts in argument order and a later mount shadows an earlier one at or under the
// same path, so the order is: `/` read-only, then the roots, then what is protected inside them.
//
// Not used: --new-session. It would protect a terminal the command shares with something outside
// the sandbox from TIOCSTI input injection, but Keel's commands have none to share: without a tty
// they have no controlling terminal (spawned in a session of their own), and with one the terminal
// is `script`'s, made for this command alone. A new session would only cost a tty command its
// controlling terminal: no job control, no Ctrl-C, /dev/tty unopenable.
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { nestedGitPaths } from './git-dirs.js';
import { hiddenPaths, networkAllowed, protectedPaths, shownDirectories, writableRoots, type SandboxContext } from './policy.js';
import { isWithin, realOrResolved } from './real-path.js';
import { networkSeccompProgram } from './seccomp.js';

/** Confinement for one command (ExecSpec's `sandbox`): bubblewrap at `bwrapPath` (see probeBubblewrap) under `policy`. */
export interface CommandSandbox {
  bwrapPath: string;
  policy: SandboxPolicy;
  context: SandboxContext;
}

export interface BwrapOptions {
  /** The directory the command starts in; default ctx.cwd. */
  chdir?: string;
}

/** The descriptor bwrap reads the seccomp filter from: the spawned bwrap's fourth stdio entry. */
export const SECCOMP_FD = 3;

/** What startExec spawns: the argv, and the seccomp filter to hand bwrap on SECCOMP_FD (null: none). */
export interface SandboxLaunch {
  argv: string[];
  seccomp: Buffer | null;
}

/** The argv that runs `argv` under `policy`; `argv` itself when the policy asks for no sandbox. */
export function bwrapArgv(bwrapPath: string, policy: SandboxPolicy, ctx: SandboxContext, argv: readonly string[], options: BwrapOptions = {}): string[] {
  const roots = writableRoots(policy, ctx);
  if (roots === null) return [...argv];
  const keelHome = realOrResolved(ctx.keelHome);
  const args = [bwrapPath, '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const root of roots.filter(exists)) args.push('--bind', root, root);
  const shielded = new Set([...protectedPaths(roots, ctx).filter((p) => p !== keelHome && exists(p)), ...nestedGitPaths(namedRoots(policy, ctx))]);
  for (const each of shielded) args.push('--ro-bind', each, each);
  // Hidden, not just read-only: its auth and config must not be readable either. Its skills are
  // bound back read-only (the model reads them), before the empty tmpfs turns read-only.
  if (exists(keelHome)) {
    args.push('--tmpfs', keelHome);
    for (const [source, inside] of shownDirectories(keelHome)) args.push('--ro-bind', source, inside);
    args.push('--remount-ro', keelHome);
  }
  for (const socket of keelSockets(ctx).filter((p) => !isWithin(p, keelHome) && exists(p))) args.push('--ro-bind', '/dev/null', socket);
  // A database kept outside the home (`--db`): each of its files reads as empty and cannot be written.
  for (const file of hiddenPaths(ctx).slice(1).filter(exists)) args.push('--ro-bind', '/dev/null', file);
  args.push('--unshare-pid');
  if (!networkAllowed(policy)) args.push('--unshare-net', '--seccomp', String(SECCOMP_FD));
  // A Keel running as root would otherwise hand the command its capabilities: enough to remount `/` read-write.
  args.push('--cap-drop', 'ALL');
  args.push('--die-with-parent', '--chdir', options.chdir ?? ctx.cwd, '--', ...argv);
  return args;
}

/** `argv` as startExec spawns it: wrapped when there is a sandbox, starting in `cwd`, with the filter bwrap expects. */
export function sandboxedLaunch(sandbox: CommandSandbox | undefined, argv: readonly string[], cwd: string): SandboxLaunch {
  if (sandbox === undefined) return { argv: [...argv], seccomp: null };
  const { policy, context } = sandbox;
  const filtered = writableRoots(policy, context) !== null && !networkAllowed(policy);
  return { argv: bwrapArgv(sandbox.bwrapPath, policy, context, argv, { chdir: cwd }), seccomp: filtered ? networkSeccompProgram() : null };
}

/** The real paths of Keel's listener sockets. */
function keelSockets(ctx: SandboxContext): string[] {
  return [...new Set((ctx.keelSockets ?? []).map(realOrResolved))];
}

/** The roots the policy names (the workspace by default), without the implicit /tmp and $TMPDIR. */
function namedRoots(policy: SandboxPolicy, ctx: SandboxContext): string[] {
  if (policy.type !== 'workspaceWrite') return [];
  return (policy.writableRoots ?? [ctx.cwd]).map((root) => realOrResolved(path.resolve(ctx.cwd, root)));
}

function exists(somePath: string): boolean {
  return fs.existsSync(somePath);
}
