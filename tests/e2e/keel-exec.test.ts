// `keel exec`, `keel threads` and `keel show` as a person or a script runs them: the built server
// started as a client of itself, on the scripted provider, in a scratch directory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { keelEntry } from '../helpers/keel-process.js';
import { testUserHome } from '../helpers/user-home.js';

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  /** Resolves once stdout holds `text`. */
  stdoutHas(text: string, timeoutMs?: number): Promise<void>;
}

type Step = Record<string, unknown>;

function scratch(script: Step[][] | null) {
  const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-exec-')));
  const home = path.join(cwd, '.keel');
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_HOME: home, HOME: testUserHome(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' };
  if (script) {
    env.KEEL_SCRIPT = path.join(cwd, '..', `${path.basename(cwd)}.script.json`);
    fs.writeFileSync(env.KEEL_SCRIPT, JSON.stringify({ responses: script }));
  }
  return { cwd, env };
}

function keel(args: string[], where: { cwd: string; env: NodeJS.ProcessEnv }, stdin?: string): Run {
  const child = spawn(process.execPath, [keelEntry, ...args], { cwd: where.cwd, env: where.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    stdoutHas: (text, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} on stdout within ${timeoutMs} ms; got ${run.stdout}`)), timeoutMs);
        const check = () => {
          if (!run.stdout.includes(text)) return;
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve();
        };
        child.stdout!.on('data', check);
        check();
      }),
  };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  child.stdin!.end(stdin ?? '');
  return run;
}

async function finished(run: Run) {
  const code = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

const patchCall = { toolCall: { name: 'apply_patch', arguments: { input: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n' } } };
const threadIdIn = (stderr: string) => /^thread (\S+) /m.exec(stderr)?.[1];

describe('keel exec', () => {
  it('prints the agent text on stdout and a line per tool item on stderr; --yes approves when nothing can ask; exit 0', async () => {
    const where = scratch([[{ text: 'Adding it.' }, patchCall], [{ toolCall: { name: 'exec_command', arguments: { cmd: 'cat hello.txt' } } }], [{ text: 'Done.' }]]);
    const result = await finished(keel(['exec', '--approval', 'untrusted', '--sandbox', 'workspace-write', '--yes', 'make hello.txt'], where));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Adding it.\nDone.\n');
    const lines = result.stderr.split('\n');
    expect(lines.slice(0, 4)).toEqual(['? Keel wants to change: hello.txt', '  → approved (--yes)', '✎ hello.txt (add)  ✓', expect.stringMatching(/^\$ cat hello\.txt {2}✓ exit 0 \d+ ms$/)]);
    expect(lines[4]).toMatch(/^thread \S+ \(keel exec --resume \S+ "…" continues it\)$/);
    expect(fs.readFileSync(path.join(where.cwd, 'hello.txt'), 'utf8')).toBe('hi\n');
  });

  it('declines when there is no terminal and no --yes: nothing changes, the turn still completes', async () => {
    const where = scratch([[patchCall], [{ text: 'It was declined.' }]]);
    const result = await finished(keel(['exec', '--approval', 'untrusted', 'make hello.txt'], where));
    expect(result.code).toBe(0);
    // The thread is read-only (Keel's default), so the reason says the file is outside what it may write.
    expect(result.stderr).toMatch(/^\? Keel wants to change: hello\.txt \(writing \S+hello\.txt is outside the sandbox's writable roots \(none: the sandbox is read-only\)\)\n {2}→ declined: no terminal to ask on \(--yes approves\)\n✎ hello\.txt \(add\) {2}⊘ declined\n/);
    expect(fs.existsSync(path.join(where.cwd, 'hello.txt'))).toBe(false);
  });

  it('--json prints every notification as one JSON line, the prompt read from stdin with -', async () => {
    const where = scratch([[{ text: 'Hello there.' }]]);
    const result = await finished(keel(['exec', '--json', '-'], where, 'say hello'));
    expect(result.code).toBe(0);
    const messages = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { method: string; params: any });
    expect(messages.every((m) => typeof m.method === 'string' && 'params' in m)).toBe(true);
    expect(messages.map((m) => m.method)).toEqual(expect.arrayContaining(['thread/started', 'turn/started', 'item/agentMessage/delta', 'turn/completed']));
    expect(messages.find((m) => m.method === 'item/completed' && m.params.item.type === 'userMessage')!.params.item.content).toEqual([{ type: 'text', text: 'say hello', text_elements: [] }]);
    expect(messages.at(-1)).toMatchObject({ method: 'turn/completed', params: { turn: { status: 'completed' } } });
  });

  it('exits 1 with the reason on stderr when the turn fails', async () => {
    const where = scratch([[{ error: { kind: 'badRequest', message: 'the model refused the request' } }]]);
    const result = await finished(keel(['exec', 'go'], where));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/keel exec: the turn failed: the model refused the request\n$/);
  });

  // Ctrl-C once the turn streams, and before it has started (keel exec listens from before the thread
  // opens, so that one interrupts the turn once it starts rather than killing keel exec).
  it.each([
    ['once the turn streams', 'item/agentMessage/delta'],
    ['before the turn has started', 'thread/started'],
  ])('Ctrl-C (SIGINT) %s interrupts the turn: it ends interrupted and keel exec exits 130', async (_when, seen) => {
    const where = scratch([[{ text: 'Thinking…' }, { stall: true }]]);
    const run = keel(['exec', '--json', 'wait forever'], where);
    await run.stdoutHas(seen);
    run.child.kill('SIGINT');
    const result = await finished(run);
    expect(result.code).toBe(130);
    const last = JSON.parse(result.stdout.trimEnd().split('\n').at(-1)!);
    expect(last).toMatchObject({ method: 'turn/completed', params: { turn: { status: 'interrupted' } } });
    expect(result.stderr).toContain('keel exec: the turn was interrupted\n');
  });

  it('--resume continues a thread; keel threads lists it and keel show prints both turns', async () => {
    const where = scratch([[{ text: 'First answer.' }]]);
    const first = await finished(keel(['exec', 'first question'], where));
    const threadId = threadIdIn(first.stderr)!;
    expect(first.code).toBe(0);
    fs.writeFileSync(where.env.KEEL_SCRIPT!, JSON.stringify({ responses: [[{ text: 'Second answer.' }]] }));
    const second = await finished(keel(['exec', '--resume', threadId, 'second question'], where));
    expect(second).toMatchObject({ code: 0, stdout: 'Second answer.\n' });
    expect(threadIdIn(second.stderr)).toBe(threadId);
    const shown = await finished(keel(['show', threadId], where));
    expect(shown.code).toBe(0);
    // The scripted model has no price: its cost is unknown (`?`), never $0.
    expect(shown.stdout).toMatch(new RegExp(`^thread ${threadId}\\n  scripted/scripted in ${where.cwd}, created .+, cost \\? at list prices\\n\\n── turn 1 \\(completed, [\\d.]+ s, \\?\\)\\n> first question\\nFirst answer\\.\\n\\n── turn 2 \\(completed, [\\d.]+ s, \\?\\)\\n> second question\\nSecond answer\\.\\n$`));
    const listed = await finished(keel(['threads'], where));
    expect(listed.code).toBe(0);
    const [header, row, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+UPDATED \(UTC\)\s+MODEL\s+COST \(USD\)\s+CWD\s+FIRST MESSAGE$/);
    expect(row).toMatch(new RegExp(`^${threadId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  scripted\\s+\\?  .*first question$`));
    expect(rest).toEqual([]);
  });

  it('a usage mistake exits 2 naming it; a thread that does not exist exits 1', async () => {
    const where = scratch(null);
    expect(await finished(keel(['exec'], where))).toMatchObject({ code: 2, stderr: expect.stringContaining('keel: exec needs a prompt') });
    expect(await finished(keel(['exec', '--sandbox', 'yolo', 'x'], where))).toMatchObject({ code: 2, stderr: expect.stringContaining('--sandbox yolo: expected one of read-only, workspace-write, danger-full-access') });
    expect(await finished(keel(['exec', '--resume', 'nope', 'x'], where))).toMatchObject({ code: 1, stderr: expect.stringContaining('keel exec: thread not found: nope') });
  });
});
