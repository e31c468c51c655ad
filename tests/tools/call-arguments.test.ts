// Arguments as real models send them, run by the real tools through the registry: JSON inside JSON,
// one level too deep, and other spellings of fields each do what the plain call does — no round
// trip to the model. Forms that are not near misses still fail, naming the field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowEverything } from '../../src/tools/gate.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import type { ToolContext, ToolFamily, ToolResult } from '../../src/tools/tool.js';
import { defaultToolsets } from '../../src/tools/toolsets/index.js';
import { turnToolState } from '../../src/tools/turn-state.js';

const registry = new ToolRegistry(defaultToolsets());
const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-call-arguments-')));
fs.writeFileSync(path.join(cwd, 'a.txt'), 'alpha\ntwo\n');

async function run(family: ToolFamily, name: string, args: string): Promise<ToolResult> {
  const turn = turnToolState();
  const ctx: ToolContext = {
    threadId: 't',
    turnId: 'u',
    callId: 'call_1',
    cwd,
    signal: new AbortController().signal,
    report: { start: () => {}, output: () => {}, plan: () => {}, diff: () => {}, intent: () => {} },
    gate: allowEverything,
    turn,
    // HOME without rc files: a login shell's own complaints (this host's ~/.bashrc) on stderr would
    // race the command's stdout, and two runs of one command could interleave them differently.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd },
  };
  try {
    return await registry.run(family, { callId: 'call_1', name, arguments: args }, ctx);
  } finally {
    await turn.close();
  }
}

/** What a call did, without what varies from run to run (time, exec_command's session number). */
const outcome = (result: ToolResult) => ({
  item: { ...result.item, durationMs: null, processId: null },
  output: result.output.replace(/^Wall time: [\d.]+ seconds\n/, ''),
});

const json = (value: unknown) => JSON.stringify(value);

// [family, tool, the plain arguments, the forms models send instead]
const TABLE: Array<[ToolFamily, string, object, Array<[string, string]>]> = [
  [
    'generic',
    'read_file',
    { path: 'a.txt' },
    [
      ['a JSON string inside JSON', json(json({ path: 'a.txt' }))],
      ['nested in "arguments"', json({ arguments: { path: 'a.txt' } })],
      ['nested in "input"', json({ input: { path: 'a.txt' } })],
      ['nested in "params"', json({ params: { path: 'a.txt' } })],
      ['nested as a JSON string', json({ arguments: json({ path: 'a.txt' }) })],
      ['filePath', json({ filePath: 'a.txt' })],
      ['file_path', json({ file_path: 'a.txt' })],
      ['filePath, nested, in a string', json(json({ params: { filePath: 'a.txt' } }))],
    ],
  ],
  ['generic', 'grep_files', { pattern: 'two', caseInsensitive: true }, [['camelCase fields', json({ pattern: 'two', case_insensitive: true })]]],
  ['generic', 'shell', { command: 'echo hi' }, [['cmd', json({ cmd: 'echo hi' })], ['nested in "input"', json({ input: { cmd: 'echo hi' } })]]],
  ['openai', 'exec_command', { cmd: 'echo hi' }, [['command', json({ command: 'echo hi' })], ['a JSON string inside JSON', json(json({ cmd: 'echo hi' }))]]],
  ['anthropic', 'bash', { command: 'echo hi' }, [['cmd', json({ cmd: 'echo hi' })], ['nested in "params"', json({ params: { command: 'echo hi' } })]]],
  ['anthropic', 'str_replace_based_edit_tool', { command: 'view', path: 'a.txt' }, [['filePath', json({ command: 'view', filePath: 'a.txt' })], ['file_path', json({ command: 'view', file_path: 'a.txt' })]]],
  ['openai', 'view_image', { path: 'a.txt' }, [['nested in "arguments"', json({ arguments: { path: 'a.txt' } })], ['filePath', json({ filePath: 'a.txt' })]]],
];

describe('tool arguments as real models send them', () => {
  for (const [family, tool, plain, forms] of TABLE) {
    for (const [form, args] of forms) {
      it(`${tool} (${family}): ${form} does what the plain call does`, async () => {
        const expected = outcome(await run(family, tool, json(plain)));
        expect(expected.output).not.toMatch(/^Error/);
        expect(outcome(await run(family, tool, args))).toEqual(expected);
      });
    }
  }

  it('a wrapper the tool has as a field of its own is its field: apply_patch {"input": {...}} is refused, naming it', async () => {
    const result = await run('openai', 'apply_patch', json({ input: { input: 'x' } }));
    expect(result.output).toBe('Error: invalid arguments for apply_patch: input: Invalid input: expected string, received object. Fix them and call apply_patch again.');
  });

  it('a wrapper beside other fields is not unwrapped', async () => {
    const result = await run('generic', 'read_file', json({ input: { path: 'a.txt' }, limit: 1 }));
    expect(result.output).toBe('Error: invalid arguments for read_file: path: Invalid input: expected string, received undefined. Fix them and call read_file again.');
  });

  it('the tool’s own spelling wins over another one sent beside it', async () => {
    const result = await run('generic', 'read_file', json({ path: 'a.txt', filePath: 'missing.txt' }));
    expect(outcome(result)).toEqual(outcome(await run('generic', 'read_file', json({ path: 'a.txt' }))));
  });
});
