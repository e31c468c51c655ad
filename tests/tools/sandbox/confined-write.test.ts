// Keel's own writes confined to the writable roots when they are made (confined-write.ts), on real
// trees: a symbolic link met on the way refuses the write with nothing written or left anywhere,
// links inside the roots still work, and under a racing directory/symlink swap no patch write or
// restored file lands outside (the reliability part "writes" runs the same race 1,000 times over
// the wire).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxPolicy } from '../../../src/core/protocol-types.js';
import { restoreFiles } from '../../../src/engine/restore-files.js';
import { applyPlanned } from '../../../src/tools/patch/index.js';
import { checkWrite, removeFile, writeFileAtomic, type WriteConfinement } from '../../../src/tools/sandbox/index.js';
import { landedOutside, startSymlinkRacer } from '../../helpers/symlink-racer.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-confined-')));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A fresh root (the only writable one), an outside directory and a Keel home beside it. */
function setUp(name: string): { root: string; outside: string; confinement: WriteConfinement } {
  const root = path.join(base, name, 'root');
  const outside = path.join(base, name, 'outside');
  const keelHome = path.join(base, name, 'home');
  for (const dir of [root, outside, keelHome]) fs.mkdirSync(dir, { recursive: true });
  const policy: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [root], excludeSlashTmp: true, excludeTmpdirEnvVar: true };
  return { root, outside, confinement: { policy, context: { cwd: root, keelHome, env: {} } } };
}

const listing = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).sort();

describe('confined writes', () => {
  it('write inside, creating directories: the file whole, no temporary file left, the directories created reported', async () => {
    const { root, confinement } = setUp('inside');
    expect(await writeFileAtomic(path.join(root, 'a/b/c.txt'), 'hello\n', confinement, 0o640)).toEqual([path.join(root, 'a'), path.join(root, 'a/b')]);
    expect(listing(root)).toEqual(['a', 'a/b', 'a/b/c.txt']);
    expect(fs.readFileSync(path.join(root, 'a/b/c.txt'), 'utf8')).toBe('hello\n');
    expect(fs.statSync(path.join(root, 'a/b/c.txt')).mode & 0o777).toBe(0o640);
  });

  it('a symbolic link inside the roots to a place inside them is followed; the write replaces its target', async () => {
    const { root, confinement } = setUp('inner-link');
    fs.mkdirSync(path.join(root, 'real'));
    fs.writeFileSync(path.join(root, 'real/t.txt'), 'old\n');
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    fs.symlinkSync('real/t.txt', path.join(root, 'file-link'));
    await writeFileAtomic(path.join(root, 'alias/t.txt'), 'via dir link\n', confinement);
    expect(fs.readFileSync(path.join(root, 'real/t.txt'), 'utf8')).toBe('via dir link\n');
    await writeFileAtomic(path.join(root, 'file-link'), 'via file link\n', confinement);
    expect(fs.lstatSync(path.join(root, 'file-link')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'real/t.txt'), 'utf8')).toBe('via file link\n');
  });

  it('a directory turned into a link to the outside after the check: refused, nothing written there or left behind', async () => {
    const { root, outside, confinement } = setUp('swapped');
    fs.mkdirSync(path.join(root, 'sub'));
    const file = path.join(root, 'sub/f.txt');
    expect(checkWrite(confinement.policy, confinement.context, [file])).toEqual({ ok: true });
    fs.rmdirSync(path.join(root, 'sub'));
    fs.symlinkSync(outside, path.join(root, 'sub'));
    await expect(writeFileAtomic(file, 'x', confinement)).rejects.toThrow(
      `refused: writing ${file} (really ${outside}/f.txt) is outside the sandbox's writable roots (${root})`,
    );
    await expect(removeFile(file, confinement)).rejects.toThrow(/outside the sandbox's writable roots/);
    expect(listing(outside)).toEqual([]);
  });

  it('unconfined (no sandbox, or a write approved outside the roots): the path is written as it is, through links', async () => {
    const { root, outside } = setUp('plain');
    fs.symlinkSync(outside, path.join(root, 'sub'));
    await writeFileAtomic(path.join(root, 'sub/n/f.txt'), 'x', null);
    expect(listing(outside)).toEqual(['n', 'n/f.txt']);
  });

  it('removing a link removes the link, never its target', async () => {
    const { root, confinement } = setUp('unlink');
    fs.writeFileSync(path.join(root, 'target.txt'), 't');
    fs.symlinkSync('target.txt', path.join(root, 'link'));
    await removeFile(path.join(root, 'link'), confinement);
    expect(listing(root)).toEqual(['target.txt']);
  });
});

describe('confined writes under a racing symlink swap', () => {
  const ATTEMPTS = 200;

  it(`${ATTEMPTS} patch writes (checked, then applied) and ${ATTEMPTS / 4} restored files: none outside the roots`, { timeout: 60_000 }, async () => {
    const { root, outside, confinement } = setUp('race');
    fs.mkdirSync(path.join(root, 'sub'));
    const racer = await startSymlinkRacer(path.join(root, 'sub'), outside);
    const outcomes: Record<string, number> = {};
    const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
    try {
      for (let i = 0; i < ATTEMPTS; i++) {
        const file = path.join(root, i % 2 === 0 ? `sub/p${i}.txt` : `sub/d${i}/p${i}.txt`);
        // What the gate does (check), then what the tool does (write), as in production; the
        // check is repeated until it passes, so that every attempt races its write.
        let checks = 1;
        while (!checkWrite(confinement.policy, confinement.context, [file]).ok) checks++;
        if (checks > 1) count('passed the check after a refusal');
        const applied = await applyPlanned([{ path: file, kind: 'add', before: null, after: `${i}\n`, diff: '' }], confinement);
        count(applied.ok ? 'written' : 'refused at the write');
      }
      for (let i = 0; i < ATTEMPTS / 4; i++) {
        const file = path.join(root, `sub/r${i}.txt`);
        const [restored] = await restoreFiles([{ path: file, movePath: null, before: `${i}\n`, after: null }], confinement);
        count(`restore ${restored!.status}`);
      }
    } finally {
      console.log(`confined race: ${await racer.stop()} swaps; ${JSON.stringify(outcomes)}`);
    }
    expect(landedOutside(outside)).toEqual({ escapes: [], temps: [] });
  });
});
