// Codex's app-server, the version whose schema Keel vendors, installed from npm into a cache
// outside the repository on first use. Resolves to its native binary, or null (with the reason
// printed) when it cannot be installed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODEX_VERSION = '0.169.0';

export function cacheDir() {
  const base = process.env.KEEL_BENCH_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'keel-bench');
  return path.join(base, `codex-${CODEX_VERSION}`);
}

/** The native executable inside the npm package (the `codex` bin is a Node wrapper that spawns it). */
export function nativeBinary(prefix) {
  const roots = [path.join(prefix, 'node_modules', '@openai')];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop();
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (entry.name === 'codex' && full.includes(`${path.sep}vendor${path.sep}`)) return full;
      }
    }
  }
  return null;
}

export function ensureCodex(log = (line) => console.log(line)) {
  const prefix = cacheDir();
  let binary = nativeBinary(prefix);
  if (binary === null) {
    log(`installing @openai/codex@${CODEX_VERSION} into ${prefix} (first use only)…`);
    fs.mkdirSync(prefix, { recursive: true });
    const install = spawnSync('npm', ['install', '--prefix', prefix, `@openai/codex@${CODEX_VERSION}`, '--no-audit', '--no-fund', '--loglevel', 'error'], { encoding: 'utf8', timeout: 600_000 });
    if (install.status !== 0) {
      log(`cannot install @openai/codex@${CODEX_VERSION}: ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
      return null;
    }
    binary = nativeBinary(prefix);
  }
  if (binary === null) {
    log(`@openai/codex@${CODEX_VERSION} installed in ${prefix}, but it ships no native binary for ${process.platform}-${process.arch}`);
    return null;
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) {
    log(`${binary} does not run here: ${(version.stderr || version.error?.message || '').trim()}`);
    return null;
  }
  return { binary, version: version.stdout.trim() };
}
