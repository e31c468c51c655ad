// What a sandbox policy lets commands and tools touch: the writable roots (real paths), the paths
// inside them that stay protected, and whether the network is reachable. Shared by the in-process
// check (path-check.ts) and the bubblewrap wrapper (bubblewrap.ts) so both enforce the same thing.
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxPolicy } from '../../core/protocol-types.js';
import { isWithin, realOrResolved } from './real-path.js';

export interface SandboxContext {
  /** The thread's working directory: the default writable root of `workspaceWrite`. */
  cwd: string;
  /** Keel's home (auth, config, sessions): never readable or writable from inside the sandbox. */
  keelHome: string;
  /**
   * The unix sockets Keel listens on (`--listen unix://…`): covered in every sandbox, whatever its
   * policy. Every context Keel builds for a command must carry them (Keel.listenerSockets): a
   * command that reaches one is a client of Keel, free to run `command/exec` unconfined.
   */
  keelSockets?: readonly string[];
  /** Hidden as the home is: the files of a `--db` database kept outside it (with its -wal, -shm, -journal). */
  hiddenFiles?: readonly string[];
  /** Where `$TMPDIR` is read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The real absolute roots writes may go to; [] for read-only, null for "everything" (no sandbox:
 * dangerFullAccess, or externalSandbox where something outside Keel does the confining).
 */
export function writableRoots(policy: SandboxPolicy, ctx: SandboxContext): string[] | null {
  switch (policy.type) {
    case 'dangerFullAccess':
    case 'externalSandbox':
      return null;
    case 'readOnly':
      return [];
    case 'workspaceWrite': {
      const roots = (policy.writableRoots ?? [ctx.cwd]).map((root) => path.resolve(ctx.cwd, root));
      if (policy.excludeSlashTmp !== true) roots.push('/tmp');
      const tmpdir = (ctx.env ?? process.env).TMPDIR;
      if (policy.excludeTmpdirEnvVar !== true && tmpdir !== undefined && tmpdir !== '') roots.push(path.resolve(tmpdir));
      return [...new Set(roots.map(realOrResolved))];
    }
  }
}

/**
 * Paths inside the writable roots that stay read-only: each root's `.git` (whether or not it exists
 * yet, so creating one is refused too) and Keel's home. Real paths where they exist.
 */
export function protectedPaths(roots: readonly string[], ctx: SandboxContext): string[] {
  const paths = roots.map((root) => realOrResolved(path.join(root, '.git')));
  paths.push(realOrResolved(ctx.keelHome));
  return [...new Set(paths)];
}

/**
 * What Keel's own tools never show or read (real paths where they exist): Keel's home, and the
 * database files kept outside it. Under every policy: nothing a model does needs auth.json.
 */
export function hiddenPaths(ctx: SandboxContext): string[] {
  return [...new Set([ctx.keelHome, ...(ctx.hiddenFiles ?? [])].map(realOrResolved))];
}

/**
 * What a hidden place still shows, read-only: the skills of Keel's home (`$KEEL_HOME/skills`), which
 * the model is told of and reads when it uses one. Nothing else in the home is ever shown; a link in
 * there to anything hidden is judged by where it really leads.
 */
const SHOWN_INSIDE_HIDDEN = ['skills'] as const;

/** Whether the real path `real` lies in what the hidden `place` still shows. */
export function shownInsideHidden(real: string, place: string): boolean {
  return SHOWN_INSIDE_HIDDEN.some((name) => isWithin(real, path.join(place, name)));
}

/** The shown directories of a hidden place that exist, as [real source, path inside the place]. */
export function shownDirectories(place: string): Array<[string, string]> {
  return SHOWN_INSIDE_HIDDEN.map((name) => path.join(place, name))
    .filter((dir) => fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true)
    .map((dir) => [realOrResolved(dir), dir]);
}

/** Whether commands may reach the network (and the host's loopback). */
export function networkAllowed(policy: SandboxPolicy): boolean {
  switch (policy.type) {
    case 'dangerFullAccess':
      return true;
    case 'externalSandbox':
      return policy.networkAccess === 'enabled';
    case 'readOnly':
    case 'workspaceWrite':
      return policy.networkAccess === true;
  }
}
