// `/proc/<pid>/stat` read as fields, for the lock holders' liveness (kernel/liveness.ts) and the
// process groups of commands (tools/exec/process-group.ts).
import fs from 'node:fs';

/**
 * The fields of `/proc/<pid>/stat` after the command name, starting with the state (field 3): so
 * `[0]` is the state, `[1]` the ppid… `[19]` the start time. Null when the process is gone (or
 * there is no /proc). The command name (field 2) is in parentheses and may hold spaces or
 * parentheses itself: the fields are counted after its last `)`.
 */
export function procStatFields(pid: number): string[] | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
