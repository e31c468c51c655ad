// PATH values for a host whose bubblewrap is missing or broken: a directory of links to every
// program of the test's PATH but the ones left out (the shell and its tools still work), and a
// directory holding a `bwrap` that fails as a host refusing user namespaces makes it fail; and a
// Keel started on such a host with a workspace-write thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from './keel-process.js';

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

/** A Keel whose PATH is `hostPath`, on the fake Responses server at `modelUrl`, with a workspace-write thread in `cwd` under `approvalPolicy`. */
export async function startOnHost(modelUrl: string, cwd: string, hostPath: string, approvalPolicy: unknown): Promise<{ keel: KeelProcess; threadId: string }> {
  const home = makeTempHome();
  fs.writeFileSync(path.join(home, 'config.toml'), 'model = "gpt-4.1"\n');
  const keel = spawnKeel({ cwd, home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${modelUrl}/v1`, PATH: hostPath } });
  await initialized(keel);
  const started = await keel.request('thread/start', { cwd, approvalPolicy, sandbox: 'workspace-write' } as never);
  return { keel, threadId: started.thread.id };
}
