// PATH values for a host whose bubblewrap is missing or broken: a directory of links to every
// program of the test's PATH but the ones left out (the shell and its tools still work), and a
// directory holding a `bwrap` that fails as a host refusing user namespaces makes it fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A PATH with every program of this process's PATH except `names` (the first of each name wins, as a shell would find it). */
export function pathWithout(...names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-path-'));
  const seen = new Set(names);
  for (const source of (process.env.PATH ?? '').split(path.delimiter)) {
    let entries: string[];
    try {
      entries = fs.readdirSync(source);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (seen.has(name)) continue;
      seen.add(name);
      fs.symlinkSync(path.join(source, name), path.join(dir, name));
    }
  }
  return dir;
}

/** A directory whose `bwrap` answers as bubblewrap does on a host that refuses unprivileged user namespaces. */
export function refusingBwrapDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bwrap-'));
  fs.writeFileSync(path.join(dir, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces" >&2\nexit 1\n', { mode: 0o755 });
  return dir;
}
