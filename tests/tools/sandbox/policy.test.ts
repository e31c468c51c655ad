// What each policy makes writable and protected, and the bwrap argv that enforces it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../../src/core/protocol-types.js';
import { bwrapArgv } from '../../../src/tools/sandbox/bubblewrap.js';
import { networkAllowed, protectedPaths, writableRoots, type SandboxContext } from '../../../src/tools/sandbox/policy.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-policy-')));
const root = path.join(base, 'root');
const keelHome = path.join(root, '.keel');
const tmpdir = path.join(base, 'tmpdir');
for (const dir of [path.join(root, '.git'), keelHome, tmpdir]) fs.mkdirSync(dir, { recursive: true });
fs.symlinkSync(root, path.join(base, 'root-link'));
const ctx: SandboxContext = { cwd: path.join(base, 'root-link'), keelHome, env: { TMPDIR: tmpdir } };
const realTmp = fs.realpathSync('/tmp');

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('writableRoots', () => {
  it('gives the real cwd, /tmp and $TMPDIR for a default workspaceWrite', () => {
    expect(writableRoots({ type: 'workspaceWrite' }, ctx)).toEqual([root, realTmp, tmpdir]);
  });

  it('leaves out /tmp and $TMPDIR when excluded, and keeps roots that do not exist yet', () => {
    const policy = { type: 'workspaceWrite', writableRoots: [path.join(base, 'later')], excludeSlashTmp: true, excludeTmpdirEnvVar: true } satisfies SandboxPolicy;
    expect(writableRoots(policy, ctx)).toEqual([path.join(base, 'later')]);
  });

  it('is empty for readOnly and null (everything) for full access and an external sandbox', () => {
    expect([writableRoots({ type: 'readOnly' }, ctx), writableRoots({ type: 'dangerFullAccess' }, ctx), writableRoots({ type: 'externalSandbox' }, ctx)]).toEqual([[], null, null]);
  });
});

describe('protectedPaths', () => {
  it("lists each root's .git, existing or not, and Keel's home", () => {
    expect(protectedPaths([root, tmpdir], ctx)).toEqual([path.join(root, '.git'), path.join(tmpdir, '.git'), keelHome]);
  });
});

describe('networkAllowed', () => {
  it('follows the policy', () => {
    expect([
      networkAllowed({ type: 'dangerFullAccess' }),
      networkAllowed({ type: 'readOnly' }),
      networkAllowed({ type: 'readOnly', networkAccess: true }),
      networkAllowed({ type: 'workspaceWrite', networkAccess: false }),
      networkAllowed({ type: 'externalSandbox', networkAccess: 'enabled' }),
      networkAllowed({ type: 'externalSandbox', networkAccess: 'restricted' }),
    ]).toEqual([true, false, true, false, true, false]);
  });
});

describe('bwrapArgv', () => {
  it('binds the roots over a read-only /, then re-protects .git and hides Keel home inside them', () => {
    const argv = bwrapArgv('/usr/bin/bwrap', { type: 'workspaceWrite', excludeSlashTmp: true }, ctx, ['bash', '-lc', 'ls']);
    expect(argv).toEqual([
      '/usr/bin/bwrap',
      ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'],
      ...['--bind', root, root, '--bind', tmpdir, tmpdir],
      ...['--ro-bind', path.join(root, '.git'), path.join(root, '.git')],
      ...['--tmpfs', keelHome, '--remount-ro', keelHome],
      ...['--unshare-pid', '--unshare-net', '--seccomp', '3', '--cap-drop', 'ALL', '--die-with-parent'],
      ...['--chdir', ctx.cwd, '--', 'bash', '-lc', 'ls'],
    ]);
  });

  it("covers Keel's listener sockets with /dev/null, whatever the network, except one its hidden home holds already", () => {
    const socket = path.join(base, 'keel.sock');
    fs.writeFileSync(socket, '');
    const policy = { type: 'readOnly', networkAccess: true } satisfies SandboxPolicy;
    const sockets = [socket, path.join(keelHome, 'app-server-control.sock'), path.join(base, 'gone.sock')];
    fs.writeFileSync(sockets[1]!, '');
    expect(bwrapArgv('bwrap', policy, { ...ctx, keelSockets: sockets }, ['true'], { chdir: '/' })).toEqual([
      ...['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'],
      ...['--tmpfs', keelHome, '--remount-ro', keelHome, '--ro-bind', '/dev/null', socket],
      ...['--unshare-pid', '--cap-drop', 'ALL', '--die-with-parent', '--chdir', '/', '--', 'true'],
    ]);
  });

  it('keeps the network and skips what does not exist', () => {
    const policy = { type: 'workspaceWrite', writableRoots: [path.join(base, 'later')], networkAccess: true, excludeSlashTmp: true, excludeTmpdirEnvVar: true } satisfies SandboxPolicy;
    expect(bwrapArgv('bwrap', policy, { ...ctx, keelHome: path.join(base, 'no-home') }, ['true'], { chdir: '/' })).toEqual([
      ...['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'],
      ...['--unshare-pid', '--cap-drop', 'ALL', '--die-with-parent', '--chdir', '/', '--', 'true'],
    ]);
  });

  it('leaves the command as it is without a sandbox', () => {
    expect([bwrapArgv('bwrap', { type: 'dangerFullAccess' }, ctx, ['ls']), bwrapArgv('bwrap', { type: 'externalSandbox' }, ctx, ['ls'])]).toEqual([['ls'], ['ls']]);
  });
});
