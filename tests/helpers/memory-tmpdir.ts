// Vitest global setup: the run's temporary files (workspaces, Keel homes and their SQLite logs)
// go to a tmpfs mounted under the system temp directory, handed to every worker and every Keel
// it spawns through TMPDIR. Nearly every file writes through fsync (SQLite commits, crash-safe
// file writes), and on this host's disk one fsync costs ~7 ms — a 600-file patch took seconds,
// on tmpfs milliseconds. Nothing the suite checks depends on the disk: a SIGKILLed process leaves
// its writes in the page cache either way (only a power cut would tell, which no test makes), and
// the path stays under /tmp, so sandbox rules about /tmp see the same paths.
// Mounting needs root and a host that allows it; elsewhere the run keeps the plain temp directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): (() => void) | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-suite-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4g,mode=1777', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmdirSync(dir);
    return undefined;
  }
  const previous = process.env.TMPDIR;
  // Workers are forked after global setup, with this process's environment; Keel processes inherit theirs.
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      execFileSync('umount', ['--lazy', dir], { stdio: 'ignore' });
      fs.rmdirSync(dir);
    } catch {
      // A process that outlived the run may still hold it: the lazy unmount frees it when that ends.
    }
  };
}
