// The host: Node's version, bubblewrap (found on PATH and able to make its namespaces here: the
// same probe that decides whether commands are sandboxed), and ripgrep (optional: without it
// Keel's search tools use their slower Node search).
import { execFile } from 'node:child_process';
import { findRipgrep } from '../../tools/files/ripgrep.js';
import { probeBubblewrap } from '../../tools/sandbox/probe.js';
import { fail, ok, warn, type Check } from './check.js';

const MIN_NODE_MAJOR = 20;

export function nodeCheck(version = process.versions.node): Check {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return ok('node', `Node.js ${version}`);
  return fail('node', `Node.js ${version}: Keel needs ${MIN_NODE_MAJOR} or later`, `install Node.js ${MIN_NODE_MAJOR} or later (https://nodejs.org, or your distribution's nodejs package)`);
}

export async function bubblewrapCheck(env: NodeJS.ProcessEnv): Promise<Check> {
  const probe = await probeBubblewrap(env);
  if (probe.ok) return ok('bubblewrap', `${probe.path} makes its namespaces here: commands of read-only and workspace-write threads are sandboxed`);
  return fail('bubblewrap', `${probe.cause}: sandboxed commands are asked to run without the sandbox (refused under approval policy never)`, probe.fix);
}

export async function ripgrepCheck(env: NodeJS.ProcessEnv): Promise<Check> {
  const rg = await findRipgrep(env.PATH ?? '');
  if (rg === null) {
    return warn('ripgrep', 'rg was not found on PATH: grep_files searches with Keel\'s own, slower Node search', 'install it (Debian/Ubuntu: apt-get install ripgrep)');
  }
  const version = await new Promise<string | null>((resolve) => {
    execFile(rg, ['--version'], { timeout: 5_000, encoding: 'utf8' }, (error, stdout) => resolve(error === null ? (stdout.split('\n')[0] ?? '').trim() : null));
  });
  return version === null ? warn('ripgrep', `${rg} does not run (rg --version failed): search falls back to Keel's Node search`, 'reinstall it (Debian/Ubuntu: apt-get install --reinstall ripgrep)') : ok('ripgrep', `${rg} (${version})`);
}
