// The in-process write and read checks against a real directory tree: symlinks, `..`, .git and
// Keel's home, judged where each path really lands.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../../src/core/protocol-types.js';
import { checkRead, checkWrite } from '../../../src/tools/sandbox/path-check.js';
import type { SandboxContext } from '../../../src/tools/sandbox/policy.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-path-check-')));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
const keelHome = path.join(base, 'keel-home');
for (const dir of [root, outside, keelHome, path.join(root, '.git')]) fs.mkdirSync(dir, { recursive: true });
fs.symlinkSync(outside, path.join(root, 'escape-dir'));
fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 'escape-file'));

const ctx: SandboxContext = { cwd: root, keelHome, env: {} };
/** Only the root: /tmp (where the test tree lives) is not writable unless a test says so. */
const workspace: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true };

const outsideRoots = (shown: string, real = shown) => ({
  ok: false,
  path: shown,
  reason: `writing ${shown}${real === shown ? '' : ` (really ${real})`} is outside the sandbox's writable roots (${root})`,
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('checkWrite', () => {
  it('allows a new or existing file inside a writable root, relative or absolute', () => {
    expect(checkWrite(workspace, ctx, ['src/new.ts', path.join(root, 'a.txt')])).toEqual({ ok: true });
  });

  it('refuses a path outside every root', () => {
    const target = path.join(outside, 'x.txt');
    expect(checkWrite(workspace, ctx, ['ok.txt', target])).toEqual(outsideRoots(target));
  });

  it('refuses a path that leaves the root through ..', () => {
    expect(checkWrite(workspace, ctx, ['../outside/x.txt'])).toEqual(outsideRoots(path.join(outside, 'x.txt')));
  });

  it('refuses a write through a symlinked directory that points outside', () => {
    const given = path.join(root, 'escape-dir', 'x.txt');
    expect(checkWrite(workspace, ctx, [given])).toEqual(outsideRoots(given, path.join(outside, 'x.txt')));
  });

  it('refuses a write through a symlinked file that points outside (its target not there yet)', () => {
    const given = path.join(root, 'escape-file');
    expect(checkWrite(workspace, ctx, [given])).toEqual(outsideRoots(given, path.join(outside, 'target.txt')));
  });

  it('refuses writes into the .git of a nested repository, existing or not, and to a .git file', () => {
    for (const given of ['sub/.git/config', 'sub/.git/hooks/pre-commit', 'a/b/c/.git/config', 'linked/.git']) {
      const absolute = path.join(root, given);
      expect(checkWrite(workspace, ctx, [given])).toEqual({ ok: false, path: absolute, reason: `writing ${absolute} is inside .git, which the sandbox protects` });
    }
    expect(checkWrite(workspace, ctx, ['sub/.github/workflows/ci.yml', 'sub/.gitignore', 'x.git/config'])).toEqual({ ok: true });
  });

  it('refuses writes into .git and to .git itself', () => {
    for (const given of [path.join(root, '.git', 'config'), path.join(root, '.git')]) {
      expect(checkWrite(workspace, ctx, [given])).toEqual({ ok: false, path: given, reason: `writing ${given} is inside .git, which the sandbox protects` });
    }
  });

  it("refuses Keel's home, also when it lies inside a writable root", () => {
    const innerHome = path.join(root, '.keel');
    const given = path.join(innerHome, 'auth.json');
    const reason = (file: string) => `writing ${file} is inside Keel's home, which the sandbox protects`;
    expect(checkWrite({ ...workspace, writableRoots: [base] }, ctx, [path.join(keelHome, 'x')])).toEqual({
      ok: false,
      path: path.join(keelHome, 'x'),
      reason: reason(path.join(keelHome, 'x')),
    });
    expect(checkWrite(workspace, { ...ctx, keelHome: innerHome }, [given])).toEqual({ ok: false, path: given, reason: reason(given) });
  });

  it('refuses everything under readOnly', () => {
    const given = path.join(root, 'a.txt');
    expect(checkWrite({ type: 'readOnly' }, ctx, [given])).toEqual({
      ok: false,
      path: given,
      reason: `writing ${given} is outside the sandbox's writable roots (none: the sandbox is read-only)`,
    });
  });

  it('allows everything under dangerFullAccess', () => {
    expect(checkWrite({ type: 'dangerFullAccess' }, ctx, [path.join(outside, 'x'), path.join(root, '.git', 'config'), path.join(keelHome, 'x')])).toEqual({ ok: true });
  });

  it('allows /tmp by default and refuses it with excludeSlashTmp', () => {
    const given = '/tmp/keel-path-check.txt';
    expect(checkWrite({ type: 'workspaceWrite', writableRoots: [root] }, ctx, [given])).toEqual({ ok: true });
    expect(checkWrite({ type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true }, ctx, [given])).toEqual(outsideRoots(given));
  });

  it('defaults the writable roots to the working directory', () => {
    expect(checkWrite({ type: 'workspaceWrite', excludeSlashTmp: true }, ctx, ['a.txt'])).toEqual({ ok: true });
  });
});

describe('checkRead', () => {
  it("refuses Keel's home under every policy (danger-full-access too), and allows the rest", () => {
    const given = path.join(keelHome, 'config.toml');
    const hidden = { ok: false, path: given, reason: `reading ${given} is inside Keel's home, which is hidden from the model` };
    for (const policy of [{ type: 'readOnly' }, workspace, { type: 'dangerFullAccess' }] as SandboxPolicy[]) expect(checkRead(policy, ctx, given)).toEqual(hidden);
    expect(checkRead({ type: 'readOnly' }, ctx, path.join(outside, 'x'))).toEqual({ ok: true });
  });

  it("allows the skills of Keel's home, and nothing a link in there leads to elsewhere in the home", () => {
    fs.mkdirSync(path.join(keelHome, 'skills', 'lint'), { recursive: true });
    fs.writeFileSync(path.join(keelHome, 'skills', 'lint', 'SKILL.md'), '---\nname: lint\n---\n');
    fs.writeFileSync(path.join(keelHome, 'skills.toml'), '');
    fs.symlinkSync(path.join(keelHome, 'config.toml'), path.join(keelHome, 'skills', 'leak'));
    const skill = path.join(keelHome, 'skills', 'lint', 'SKILL.md');
    const leak = path.join(keelHome, 'skills', 'leak');
    const sibling = path.join(keelHome, 'skills.toml');
    for (const policy of [{ type: 'readOnly' }, workspace, { type: 'dangerFullAccess' }] as SandboxPolicy[]) {
      expect(checkRead(policy, ctx, skill)).toEqual({ ok: true });
      expect(checkRead(policy, ctx, leak)).toEqual({ ok: false, path: leak, reason: `reading ${leak} (really ${path.join(keelHome, 'config.toml')}) is inside Keel's home, which is hidden from the model` });
      expect(checkRead(policy, ctx, sibling)).toEqual({ ok: false, path: sibling, reason: `reading ${sibling} is inside Keel's home, which is hidden from the model` });
    }
    expect(checkWrite(workspace, { ...ctx, cwd: keelHome }, [skill]).ok).toBe(false);
  });

  it('refuses the home through a symlink, /proc/self/root, /proc/self/cwd and /proc/self/fd', () => {
    fs.symlinkSync(keelHome, path.join(root, 'into-home'));
    fs.writeFileSync(path.join(keelHome, 'auth.json'), '{}');
    const fd = fs.openSync(path.join(keelHome, 'auth.json'), 'r');
    try {
      const real = path.join(keelHome, 'auth.json');
      for (const given of [
        path.join(root, 'into-home', 'auth.json'),
        `${root}/into-home/./auth.json`,
        `/proc/self/root${real}`,
        `/proc/${process.pid}/root${real}`,
        `/proc/self/fd/${fd}`,
        `/proc/thread-self/fd/${fd}`,
      ]) {
        expect(checkRead({ type: 'dangerFullAccess' }, ctx, given), given).toMatchObject({ ok: false, reason: expect.stringContaining(`(really ${real}) is inside Keel's home`) });
      }
      // Keel's own cwd in the home: /proc/self/cwd leads there whatever the path spells.
      const previous = process.cwd();
      process.chdir(keelHome);
      try {
        const fromCwd = checkRead({ type: 'readOnly' }, { ...ctx, cwd: base }, '/proc/self/cwd/auth.json');
        expect(fromCwd).toMatchObject({ ok: false, reason: expect.stringContaining("is inside Keel's home") });
      } finally {
        process.chdir(previous);
      }
    } finally {
      fs.closeSync(fd);
    }
  });

  it('refuses the files of a database kept outside the home, as hidden as the home', () => {
    const db = path.join(outside, 'threads.db');
    const withDb: SandboxContext = { ...ctx, hiddenFiles: [db, `${db}-wal`] };
    expect(checkRead({ type: 'dangerFullAccess' }, withDb, `${db}-wal`)).toEqual({ ok: false, path: `${db}-wal`, reason: `reading ${db}-wal is Keel's thread store, which is hidden from the model` });
    expect(checkRead({ type: 'dangerFullAccess' }, withDb, path.join(outside, 'threads.dbx'))).toEqual({ ok: true });
  });
});
