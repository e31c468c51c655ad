// turn/start's setting overrides, over stdio: one rule with resume and fork (engine/thread-settings.ts).
// A new cwd moves the workspace-write root; policies a client repeats on every turn, as Codex
// clients do, change nothing and write nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initialized, makeTempHome, removeAfterKeel, spawnKeel } from '../helpers/keel-process.js';
import { storedEvents, withDatabase } from '../helpers/threads.js';
import { runTurn } from '../helpers/turns.js';

const homes: string[] = [];
afterEach(() => removeAfterKeel(homes));

function workspace(home: string, name: string): string {
  const dir = path.join(home, name);
  fs.mkdirSync(dir);
  return dir;
}

const workspaceWrite = (root: string) => ({ type: 'workspaceWrite', writableRoots: [root], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });

describe('turn/start setting overrides', () => {
  it('a cwd override moves the writable root; repeated unchanged policies write no event', async () => {
    const home = makeTempHome();
    homes.push(home);
    const [first, second] = [workspace(home, 'first'), workspace(home, 'second')];
    const keel = spawnKeel({ home });
    await initialized(keel);
    const { thread, sandbox } = await keel.request('thread/start', { cwd: first, sandbox: 'workspace-write', approvalPolicy: 'on-request' });
    expect(sandbox).toEqual(workspaceWrite(first));
    const threadId = thread.id;

    const turn = async (params: Record<string, unknown>) => {
      const before = keel.messages.length;
      const { turn: started } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'hi' }], ...params });
      await keel.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn: { id: string } }).turn.id === started.id);
      return keel.messages.slice(before);
    };
    await turn({ cwd: second });
    const resumed = await keel.request('thread/resume', { threadId });
    expect({ cwd: resumed.cwd, sandbox: resumed.sandbox, approvalPolicy: resumed.approvalPolicy }).toEqual({ cwd: second, sandbox: workspaceWrite(second), approvalPolicy: 'on-request' });

    // A client that sends its policies with every turn: the whole policy, then the short form.
    await turn({ cwd: second, approvalPolicy: 'on-request', sandboxPolicy: workspaceWrite(second) });
    await turn({ approvalPolicy: 'on-request', sandboxPolicy: { type: 'workspaceWrite' } });
    await runTurn(keel, threadId, 'plain');
    // And one real change, to show the rule still writes one.
    await turn({ approvalPolicy: 'never', sandboxPolicy: workspaceWrite(second) });
    expect(await keel.close()).toBe(0);

    const settingsEvents = withDatabase(path.join(home, 'keel.db'), (db) => storedEvents(db, threadId))
      .filter((event) => event.type === 'thread/settingsChanged')
      .map((event) => JSON.parse(event.body).settings);
    expect(settingsEvents).toEqual([{ cwd: second, sandbox: workspaceWrite(second) }, { approvalPolicy: 'never' }]);
  });
});
