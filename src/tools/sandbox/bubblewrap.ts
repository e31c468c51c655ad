// A command confined with bubblewrap: the whole filesystem read-only, the writable roots bound
// read-write over it, their `.git` and Keel's home bound back read-only, Keel's home hidden under
// an empty read-only tmpfs (and a database kept outside it under /dev/null), its own PID namespace, and no network unless the policy allows it.
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
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { hiddenPaths, networkAllowed, protectedPaths, writableRoots, type SandboxContext } from './policy.js';
import { realOrResolved } from './real-path.js';

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

/** The argv that runs `argv` under `policy`; `argv` itself when the policy asks for no sandbox. */
export function bwrapArgv(bwrapPath: string, policy: SandboxPolicy, ctx: SandboxContext, argv: readonly string[], options: BwrapOptions = {}): string[] {
  const roots = writableRoots(policy, ctx);
  if (roots === null) return [...argv];
  const keelHome = realOrResolved(ctx.keelHome);
  const args = [bwrapPath, '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const root of roots.filter(exists)) args.push('--bind', root, root);
  for (const shielded of protectedPaths(roots, ctx).filter((p) => p !== keelHome && exists(p))) args.push('--ro-bind', shielded, shielded);
  // Hidden, not just read-only: its auth and config must not be readable either.
  if (exists(keelHome)) args.push('--tmpfs', keelHome, '--remount-ro', keelHome);
  // A database kept outside the home (`--db`): each of its files reads as empty and cannot be written.
  for (const file of hiddenPaths(ctx).slice(1).filter(exists)) args.push('--ro-bind', '/dev/null', file);
  args.push('--unshare-pid');
  if (!networkAllowed(policy)) args.push('--unshare-net');
  // A Keel running as root would otherwise hand the command its capabilities: enough to remount `/` read-write.
  args.push('--cap-drop', 'ALL');
  args.push('--die-with-parent', '--chdir', options.chdir ?? ctx.cwd, '--', ...argv);
  return args;
}

/** `argv` as startExec spawns it: wrapped when there is a sandbox, starting in `cwd`. */
export function sandboxedArgv(sandbox: CommandSandbox | undefined, argv: readonly string[], cwd: string): string[] {
  return sandbox === undefined ? [...argv] : bwrapArgv(sandbox.bwrapPath, sandbox.policy, sandbox.context, argv, { chdir: cwd });
}

function exists(somePath: string): boolean {
  return fs.existsSync(somePath);
}
