// Whether bubblewrap can confine commands here: `bwrap` on PATH (no fixed fallback paths: a PATH
// without it is the environment the commands would get), and a trial run, since hardened hosts
// and containers refuse the user and network namespaces it makes. Cached per PATH value, so each
// command does not probe again.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type BubblewrapProbe = { ok: true; path: string } | { ok: false; cause: string; fix: string };

const PROBE_TIMEOUT_MS = 5_000;
const FALLBACK_FIX = 'or run the thread with sandbox "danger-full-access"';

const cache = new Map<string, Promise<BubblewrapProbe>>();

export function probeBubblewrap(env: NodeJS.ProcessEnv = process.env): Promise<BubblewrapProbe> {
  const key = env.PATH ?? '';
  let probe = cache.get(key);
  if (probe === undefined) {
    probe = runProbe(key, env);
    cache.set(key, probe);
  }
  return probe;
}

/** Forgets every probe (tests, or after bwrap was installed). */
export function clearBubblewrapProbeCache(): void {
  cache.clear();
}

async function runProbe(searchPath: string, env: NodeJS.ProcessEnv): Promise<BubblewrapProbe> {
  const found = findOnPath('bwrap', searchPath);
  if (found === null) {
    return { ok: false, cause: 'bubblewrap (bwrap) was not found on PATH', fix: `install it (Debian/Ubuntu: apt-get install bubblewrap), ${FALLBACK_FIX}` };
  }
  const args = ['--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '--dev', '/dev', '--proc', '/proc', '--', '/bin/true'];
  return new Promise((resolve) => {
    execFile(found, args, { env, cwd: '/', timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error === null) return resolve({ ok: true, path: found });
      const said = stderr.trim() || (error.killed ? `no answer within ${PROBE_TIMEOUT_MS} ms` : error.message);
      resolve({
        ok: false,
        cause: `bubblewrap (${found}) could not create a sandbox on this host: ${said}`,
        fix: `allow unprivileged user namespaces (e.g. sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0; in a container, run it with --security-opt seccomp=unconfined or privileges to create namespaces), ${FALLBACK_FIX}`,
      });
    });
  });
}

/** The first executable regular file named `name` in the PATH's directories. */
function findOnPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(dir, name);
    try {
      if (!fs.statSync(candidate).isFile()) continue;
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}
