// Descriptors Keel was started with beyond stdin, stdout and stderr (a terminal's, an IDE's or a
// supervisor's stray pipe, an open file) would pass on to every command Keel runs: libuv's spawn
// closes only what is marked close-on-exec, and Node marks everything it opens itself (the store,
// its WAL, listener sockets, the model connections), but not what it inherited. Node cannot set
// FD_CLOEXEC on them, so Keel closes them when it starts serving, as nothing in Keel uses them.
// Linux only (/proc); elsewhere nothing is done.
import fs from 'node:fs';

const O_CLOEXEC = 0o2000000;

/** Closes each descriptor above 2 not marked close-on-exec (but Node's IPC channel, if any); returns their numbers. */
export function closeInheritedDescriptors(env: NodeJS.ProcessEnv = process.env): number[] {
  let fds: number[];
  try {
    fds = fs.readdirSync('/proc/self/fd').map(Number);
  } catch {
    return [];
  }
  const keep = new Set([0, 1, 2, Number(env.NODE_CHANNEL_FD ?? -1)]);
  const closed: number[] = [];
  for (const fd of fds.sort((a, b) => a - b)) {
    if (keep.has(fd) || !Number.isInteger(fd)) continue;
    let flags: number;
    try {
      flags = parseInt(/^flags:\s*(\d+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1] ?? '', 8);
    } catch {
      continue; // The descriptor readdir itself used, closed since.
    }
    if (Number.isNaN(flags) || (flags & O_CLOEXEC) !== 0) continue;
    try {
      fs.closeSync(fd);
      closed.push(fd);
    } catch {
      // Already gone.
    }
  }
  return closed;
}
