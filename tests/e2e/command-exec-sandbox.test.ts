// command/exec with a sandboxPolicy: readOnly and workspaceWrite confine the command with
// bubblewrap as a thread's commands are (writes inside the roots only, Keel's home hidden); where
// bubblewrap cannot work the request is refused with the cause and the fix (no turn to ask in).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathWithout, refusingBwrapDir } from '../helpers/host-path.js';
import { errorOf, initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { workspace } from '../helpers/workspace.js';

async function keelReady(env: Record<string, string> = {}): Promise<{ keel: KeelProcess; home: string }> {
  const home = makeTempHome();
  const keel = spawnKeel({ home, env });
  await initialized(keel);
  return { keel, home };
}

describe('command/exec with a sandboxPolicy', () => {
  it('readOnly: the command runs, and cannot write', async () => {
    const cwd = workspace();
    const { keel } = await keelReady();
    expect(await keel.request('command/exec', { command: ['sh', '-c', 'echo in; touch made.txt'], cwd, sandboxPolicy: { type: 'readOnly' } })).toEqual({
      exitCode: 1,
      stdout: 'in\n',
      stderr: "touch: cannot touch 'made.txt': Read-only file system\n",
    });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(false);
  });

  it('workspaceWrite: writes its cwd, not outside it, and does not see Keel\'s home', async () => {
    const cwd = workspace();
    const outside = workspace();
    const { keel, home } = await keelReady();
    fs.writeFileSync(path.join(home, 'auth.json'), '{"OPENAI_API_KEY":"sk-secret"}', { mode: 0o600 });
    const result = await keel.request('command/exec', {
      command: ['sh', '-c', `touch made.txt; touch ${outside}/escaped.txt; ls -A ${home}`],
      cwd,
      sandboxPolicy: { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true },
    });
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: `touch: cannot touch '${outside}/escaped.txt': Read-only file system\n` });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    expect(fs.existsSync(path.join(outside, 'escaped.txt'))).toBe(false);
  });

  it('dangerFullAccess: unconfined', async () => {
    const cwd = workspace();
    const { keel } = await keelReady();
    expect(await keel.request('command/exec', { command: ['touch', 'made.txt'], cwd, sandboxPolicy: { type: 'dangerFullAccess' } })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
  });

  it('no bwrap on PATH: refused with the cause and the fix, nothing run', async () => {
    const cwd = workspace();
    const { keel } = await keelReady({ PATH: pathWithout('bwrap') });
    expect(await errorOf(keel.request('command/exec', { command: ['touch', 'made.txt'], cwd, sandboxPolicy: { type: 'readOnly' } }))).toEqual({
      code: -32600,
      message: 'command/exec cannot run in sandboxPolicy readOnly: the sandbox is unavailable (bubblewrap (bwrap) was not found on PATH); install it (Debian/Ubuntu: apt-get install bubblewrap), or run the thread with sandbox "danger-full-access"',
    });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(false);
  });

  it('a bwrap the host refuses: refused with what it said', async () => {
    const cwd = workspace();
    const fake = refusingBwrapDir();
    const { keel } = await keelReady({ PATH: `${fake}${path.delimiter}${process.env.PATH}` });
    expect(await errorOf(keel.request('command/exec', { command: ['touch', 'made.txt'], cwd, sandboxPolicy: { type: 'workspaceWrite' } }))).toEqual({
      code: -32600,
      message: expect.stringMatching(new RegExp(`^command/exec cannot run in sandboxPolicy workspaceWrite: the sandbox is unavailable \\(bubblewrap \\(${fake}/bwrap\\) could not create a sandbox on this host: bwrap: No permissions`)),
    });
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(false);
  });
});
