// The command rules under Keel's home are private whatever the umask: whoever can write
// `rules/default.rules` can allow commands to run unasked. Each case runs ExecRules.add in a child
// process started with that umask.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Adds a rule in a fresh home from a child process with `umask`; the modes of rules/ and the file. */
function modesAfterAdd(umask: number, prepare?: (home: string) => void): { dir: string; file: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rules-modes-'));
  prepare?.(home);
  const script = `process.umask(${umask}); const { ExecRules } = await import(${JSON.stringify(path.join(repoRoot, 'src/engine/approvals/exec-rules.ts'))}); new ExecRules(${JSON.stringify(home)}).add(['npm', 'test']);`;
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
  const mode = (file: string) => (fs.statSync(path.join(home, file)).mode & 0o777).toString(8);
  const modes = { dir: mode('rules'), file: mode('rules/default.rules') };
  fs.rmSync(home, { recursive: true, force: true });
  return modes;
}

describe('rules/ under the home', () => {
  it.each([['000', 0], ['002', 0o002], ['022', 0o022]])('is 0700 and its file 0600 under umask %s', { timeout: 30_000 }, (_shown, umask) => {
    expect(modesAfterAdd(umask)).toEqual({ dir: '700', file: '600' });
  });

  it('an existing rules directory or file open to others is made private when a rule is added', { timeout: 30_000 }, () => {
    const open = (home: string) => {
      fs.mkdirSync(path.join(home, 'rules'));
      fs.chmodSync(path.join(home, 'rules'), 0o777);
      fs.writeFileSync(path.join(home, 'rules/default.rules'), '');
      fs.chmodSync(path.join(home, 'rules/default.rules'), 0o666);
    };
    expect(modesAfterAdd(0, open)).toEqual({ dir: '700', file: '600' });
  });
});
