// watchPath: a directory reports its changed entries, a file reports itself (through a save by
// rename too), a path not there yet reports itself when it appears; reports are gathered, sorted
// and deduplicated; nothing comes after close. Each test waits for the report (with a timeout),
// never for a fixed time.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPath, type PathWatch } from '../../../src/tools/files/watch.js';
import { cleanTreesAfterEach, makeTree } from './tree.js';

cleanTreesAfterEach();

const watches: PathWatch[] = [];
afterEach(() => {
  for (const watch of watches.splice(0)) watch.close();
});

/** Starts a watch and returns a function resolving with the next report (or failing after 5 s). */
async function watching(target: string, debounceMs = 50): Promise<() => Promise<string[]>> {
  const reports: string[][] = [];
  let wake: (() => void) | null = null;
  const watch = await watchPath(target, (paths) => {
    reports.push(paths);
    wake?.();
  }, { debounceMs });
  watches.push(watch);
  return async () => {
    if (reports.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no change reported for ${target} within 5 s`)), 5_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return reports.shift()!;
  };
}

describe('watchPath', () => {
  it('reports the entries of a directory that change, gathered into one sorted report', async () => {
    const root = makeTree({ 'old.txt': 'x' });
    const next = await watching(root, 300);
    fs.writeFileSync(path.join(root, 'b.txt'), 'b');
    fs.writeFileSync(path.join(root, 'a.txt'), 'a');
    fs.rmSync(path.join(root, 'old.txt'));
    expect(await next()).toEqual([path.join(root, 'a.txt'), path.join(root, 'b.txt'), path.join(root, 'old.txt')]);
  });

  it('reports a file written, and replaced by a rename (as editors save)', async () => {
    const root = makeTree({ 'f.txt': 'x', 'other.txt': 'y' });
    const file = path.join(root, 'f.txt');
    const next = await watching(file);
    fs.writeFileSync(path.join(root, 'other.txt'), 'not this one');
    fs.appendFileSync(file, 'more');
    expect(await next()).toEqual([file]);
    fs.writeFileSync(path.join(root, 'f.txt.tmp'), 'saved');
    fs.renameSync(path.join(root, 'f.txt.tmp'), file);
    expect(await next()).toEqual([file]);
  });

  it('reports a path that does not exist yet once it appears, through directories made on the way', async () => {
    const root = makeTree({});
    const target = path.join(root, 'a/b/c.txt');
    const next = await watching(target);
    fs.mkdirSync(path.join(root, 'a'));
    fs.mkdirSync(path.join(root, 'a/b'));
    fs.writeFileSync(target, 'here');
    expect(await next()).toEqual([target]);
  });

  it('reports a watched directory removed', async () => {
    const root = makeTree({ 'd/x.txt': 'x' });
    const dir = path.join(root, 'd');
    const next = await watching(dir, 300);
    fs.rmSync(dir, { recursive: true });
    expect(await next()).toEqual([dir, path.join(dir, 'x.txt')]);
  });

  it('reports nothing once closed', async () => {
    const root = makeTree({});
    const reports: string[][] = [];
    const watch = await watchPath(root, (paths) => reports.push(paths), { debounceMs: 10 });
    fs.writeFileSync(path.join(root, 'a.txt'), 'a');
    watch.close();
    // A second watch on the same directory proves events were delivered, yet the closed one stayed silent.
    const next = await watching(root, 10);
    fs.writeFileSync(path.join(root, 'b.txt'), 'b');
    expect(await next()).toEqual([path.join(root, 'b.txt')]);
    expect(reports).toEqual([]);
  });
});
