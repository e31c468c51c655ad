// The symlink race against Keel's own writes: a separate process keeps swapping a directory inside
// the workspace between the real directory and a symbolic link to a directory outside the
// writable roots, as a sandboxed command could, while Keel checks paths under it and writes them.
// What reached the outside directory afterwards is an escape (or a temporary file left there).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const RACER = `
const fs = require('node:fs');
const [dir, outside] = process.argv.slice(1);
const parked = dir + '.parked';
let swaps = 0;
const hold = () => { for (let i = 0; i < 20; i++) fs.existsSync(dir); };
const isLink = (p) => { try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; } };
/** Back to the real directory; one Keel made while the real one was parked is moved aside (it is inside too). */
function restore() {
  if (isLink(dir)) fs.unlinkSync(dir);
  if (!fs.existsSync(parked)) return;
  if (fs.existsSync(dir)) fs.renameSync(dir, dir + '.made' + swaps);
  fs.renameSync(parked, dir);
}
process.on('SIGTERM', () => {
  restore();
  process.stdout.write(String(swaps));
  process.exit(0);
});
process.stdout.write('ready\\n');
// Batches of swaps, returning to the event loop between them so that SIGTERM is handled.
(function batch() {
  for (let i = 0; i < 200; i++) {
    try {
      fs.renameSync(dir, parked);
      fs.symlinkSync(outside, dir);
      swaps++;
    } catch {}
    hold();
    try { restore(); } catch {}
    hold();
  }
  setImmediate(batch);
})();
`;

export interface Racer {
  /** Stops swapping, leaves the real directory in place; resolves with the number of swaps made. */
  stop(): Promise<number>;
}

/** Starts swapping `dir` (which must exist) with a symlink to `outside`; resolves once it runs. */
export async function startSymlinkRacer(dir: string, outside: string): Promise<Racer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', RACER, dir, outside], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error('the racer exited before it started')));
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve(Number(out.replace('ready\n', '')) || 0));
        child.kill('SIGTERM');
      }),
  };
}

/** Everything under `outside` (relative paths), split into Keel's temporary files and the rest. */
export function landedOutside(outside: string): { escapes: string[]; temps: string[] } {
  const all = (fs.readdirSync(outside, { recursive: true }) as string[]).sort();
  const temps = all.filter((name) => path.basename(name).includes('.keel-'));
  return { escapes: all.filter((name) => !temps.includes(name)), temps };
}
