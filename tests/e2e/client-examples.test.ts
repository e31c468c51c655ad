// The examples in clients/examples, run as a user would (node, the built library): their output
// and what they did on disk.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempHome } from '../helpers/keel-process.js';
import { workspace } from '../helpers/workspace.js';

const run = promisify(execFile);

describe('clients/examples', () => {
  it('approve-turn.mjs: asked, accepted, the command ran, the agent said so, the file exists', async () => {
    const cwd = workspace();
    const { stdout } = await run(process.execPath, ['clients/examples/approve-turn.mjs', cwd], { timeout: 15_000 });
    const shell = /may I run (\S+) -lc/.exec(stdout)?.[1]; // bash where the system has it, else sh
    expect(stdout.split('\n')).toEqual([
      `asked: may I run ${shell} -lc 'touch hello.txt' in ${cwd}? accepting`,
      `command: ${shell} -lc 'touch hello.txt' -> completed, exit 0`,
      'agent: Created hello.txt.',
      'hello.txt exists: true',
      '',
    ]);
    expect(fs.existsSync(path.join(cwd, 'hello.txt'))).toBe(true);
  });

  it('tui.mjs: a piped prompt runs a turn; the last screen shows it from the folded thread', async () => {
    const env = { ...process.env, KEEL_HOME: makeTempHome(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' };
    const child = execFile(process.execPath, [path.resolve('clients/examples/tui.mjs')], { cwd: workspace(), env, timeout: 15_000 });
    child.stdin!.end('hello tui\n');
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const plain = stdout.slice(stdout.lastIndexOf('\x1b[2J')).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(plain.split('\n')).toEqual([
      expect.stringMatching(/^thread \S+ · scripted · idle$/),
      '',
      '> hello tui',
      'Keel is running on its built-in scripted provider (no model API key is configured). You said: hello tui',
      '',
      'turn completed',
      'prompt> ',
      '', // the newline printed when stdin ends
    ]);
  });
});
