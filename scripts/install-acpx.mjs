#!/usr/bin/env node
// acpx, the published ACP client tests/acp/second-client.test.ts drives `keel acp` with, installed
// from npm into a cache outside the repository, with the Node it needs: acpx asks for Node >= 22.13
// while Keel's suite runs on Node 20, and the only network CI has is the npm registry — which carries
// the official Node binary as the package node-linux-<arch> (its bin/node). Skips what is already
// installed, so a second run changes nothing. Prints the two paths the test uses.
//   node scripts/install-acpx.mjs            # cache: $KEEL_TEST_ACPX_DIR or ~/.cache/keel-test/acpx-0.19.1
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ACPX_VERSION = '0.19.1';
// The newest Node 22 on the registry when this was pinned (acpx needs >= 22.13).
export const NODE_VERSION = '22.23.5';

export function acpxDir() {
  return process.env.KEEL_TEST_ACPX_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'keel-test', `acpx-${ACPX_VERSION}`);
}

/** The two executables inside the cache directory (which may not exist yet). */
export function acpxPaths(dir = acpxDir()) {
  return {
    cli: path.join(dir, 'node_modules', 'acpx', 'dist', 'cli.js'),
    node: path.join(dir, 'node_modules', `node-linux-${process.arch}`, 'bin', 'node'),
  };
}

/** The installed package's version, or null when it is absent. */
function installedVersion(dir, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

export function ensureAcpx(log = (line) => console.error(line)) {
  const dir = acpxDir();
  const nodePackage = `node-linux-${process.arch}`;
  const wanted = [
    ['acpx', ACPX_VERSION],
    [nodePackage, NODE_VERSION],
  ];
  const missing = wanted.filter(([name, version]) => installedVersion(dir, name) !== version);
  if (missing.length > 0) {
    const specs = wanted.map(([name, version]) => `${name}@${version}`);
    log(`installing ${specs.join(' and ')} into ${dir}…`);
    fs.mkdirSync(dir, { recursive: true });
    // Both in one command: an npm install --no-save of one package would prune the other.
    const install = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel', 'error', ...specs], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (install.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed: ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-5).join('\n')}`);
  }
  const paths = acpxPaths(dir);
  const version = spawnSync(paths.node, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) throw new Error(`${paths.node} does not run here: ${(version.stderr || version.error?.message || '').trim()}`);
  if (!fs.existsSync(paths.cli)) throw new Error(`acpx@${ACPX_VERSION} is installed in ${dir} but has no ${paths.cli}`);
  return paths;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const paths = ensureAcpx();
  console.error(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`acpx: ${paths.cli}`);
  console.log(`node: ${paths.node}`);
}
