// Commands inherit no descriptor Keel holds (the SQLite database and its WAL, listener sockets,
// the model connection, pipes of other commands, and what Keel's own parent leaked to it): each command lists its own /proc/self/fd, run
// by exec_command with and without a terminal (the `script` pty path), sandboxed with bubblewrap
// and not, and by command/exec (unsandboxed). Only 0, 1 and 2 — and the descriptor `ls` opens on the directory
// it lists — may be there.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { completedItems, runTurn, turnOf } from '../helpers/turns.js';
import { workspace } from '../helpers/workspace.js';
import type { ScriptStep } from '../../src/providers/scripted.js';

/** Each open descriptor of `ls` and what it is (`ls` itself holds one, on /proc/<pid>/fd). */
const LIST = 'ls -l /proc/self/fd';

const exec = (callId: string, tty: boolean): ScriptStep => ({ toolCall: { name: 'exec_command', callId, arguments: { cmd: LIST, tty, yield_time_ms: 5_000 } } });

/** The descriptors a listing shows above stderr, with what they are, besides the one `ls` opened. */
function descriptors(output: string): string[] {
  return output
    .split(/\r?\n/)
    .map((line) => / (\d+) -> (.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[1]) > 2 && !/^\/proc\/\d+\/fd$/.test(match[2]!))
    .map((match) => `${match![1]} -> ${match![2]}`);
}

describe('descriptors a command inherits', () => {
  it('none but stdin, stdout and stderr, with or without a terminal, sandboxed or not, and from command/exec', { timeout: 60_000 }, async () => {
    const cwd = workspace({ 'a.txt': 'a\n' });
    const home = makeTempHome();
    const script: ScriptStep[][] = [];
    for (const sandbox of ['workspace-write', 'danger-full-access']) script.push([exec(`${sandbox}-pipe`, false), exec(`${sandbox}-tty`, true)], [{ text: 'done' }]);
    fs.writeFileSync(path.join(home, 'script.json'), JSON.stringify({ responses: script }));
    const socket = path.join(home, 'listen.sock');
    // A parent that leaks a descriptor to Keel: a file it has open for writing. (Node's own start-up
    // takes over the lowest numbers; a leaked descriptor at 40 is one it leaves alone.)
    const leaked = fs.openSync(path.join(home, 'parent-log.txt'), 'a');
    const keel = spawnKeel({ cwd, home, inherit: { 40: leaked }, args: ['--listen', 'stdio://', '--listen', `unix://${socket}`, '--listen', 'ws://127.0.0.1:0'], env: { KEEL_SCRIPT: path.join(home, 'script.json') } });
    fs.closeSync(leaked);
    await initialized(keel);
    const seen: Record<string, string[]> = {};
    for (const sandbox of ['workspace-write', 'danger-full-access'] as const) {
      const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'never', sandbox });
      const seq = await runTurn(keel, thread.id, 'list fds', 30_000);
      expect(turnOf(seq)).toMatchObject({ status: 'completed' });
      for (const item of completedItems(seq).filter((i) => i.type === 'commandExecution')) seen[item.id] = descriptors(item.aggregatedOutput);
    }
    const result = await keel.request('command/exec', { command: ['sh', '-c', LIST], cwd });
    seen['command/exec'] = descriptors(result.stdout);
    expect(seen).toEqual({ 'workspace-write-pipe': [], 'workspace-write-tty': [], 'danger-full-access-pipe': [], 'danger-full-access-tty': [], 'command/exec': [] });
    await keel.close();
  });
});
