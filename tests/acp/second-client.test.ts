// `keel acp` driven by clients other than the official SDK the rest of tests/acp uses:
// - a raw JSONL client with no SDK (acp-raw-client.ts), which knows only the wire as ACP's spec
//   writes it: always runs;
// - acpx (npm `acpx`, openclaw/acpx), a published headless ACP client CLI — its own session,
//   permission and output logic over the SDK's connection — when it is installed and Node is new
//   enough for it (it asks for Node >= 22.13); otherwise the test is skipped, saying why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRawAcp } from '../helpers/acp-raw-client.js';
import { keelEntry } from '../helpers/keel-process.js';

describe('a raw JSONL client (no SDK)', () => {
  it('runs a whole prompt: initialize, session/new, a permission request answered on the wire, the command\'s tool call, the answer', async () => {
    const client = startRawAcp({
      script: [[{ toolCall: { name: 'exec_command', callId: 'c1', arguments: { cmd: 'echo raw-ran > ran.txt; cat ran.txt', login: false, yield_time_ms: 30_000 } } }], [{ text: 'Ran it.' }]],
      args: ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    expect((await client.request('initialize', { protocolVersion: 1, clientCapabilities: {} })).result).toMatchObject({ protocolVersion: 1, agentCapabilities: { loadSession: true } });
    const { sessionId } = (await client.request('session/new', { cwd: client.home, mcpServers: [] })).result as { sessionId: string };
    const from = client.lines.length;
    const prompt = client.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'run it' }] });
    const asked = await client.waitFor((m) => m.method === 'session/request_permission', from);
    expect(asked).toMatchObject({ jsonrpc: '2.0', id: expect.anything(), params: { sessionId, toolCall: { kind: 'execute' } } });
    const allowOnce = (asked.params.options as { optionId: string; kind: string }[]).find((o) => o.kind === 'allow_once')!;
    client.write({ jsonrpc: '2.0', id: asked.id, result: { outcome: { outcome: 'selected', optionId: allowOnce.optionId } } });
    expect(await prompt).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: { stopReason: 'end_turn' } });
    const updates = client.lines.slice(from).filter((m: any) => m.method === 'session/update').map((m: any) => m.params.update);
    expect(updates.filter((u) => u.sessionUpdate === 'tool_call_update').at(-1)).toMatchObject({ status: 'completed', rawOutput: { exitCode: 0 } });
    expect(updates.filter((u) => u.sessionUpdate === 'agent_message_chunk').map((u) => u.content.text).join('')).toBe('Ran it.');
  });
});

const acpxBin = (() => {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('acpx/package.json')), 'dist', 'cli.js');
  } catch {
    return null;
  }
})();
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const skipAcpx = acpxBin === null ? 'acpx is not installed (npm install --save-dev acpx@0.19.1)' : major < 22 || (major === 22 && minor < 13) ? `acpx needs Node >= 22.13, this is ${process.versions.node}` : null;

describe('acpx, a published ACP client', () => {
  it.skipIf(skipAcpx !== null)(`runs a one-shot prompt against keel acp${skipAcpx ? ` (skipped: ${skipAcpx})` : ''}`, () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acpx-'));
    const script = path.join(home, 'script.json');
    fs.writeFileSync(script, JSON.stringify([[{ text: 'Hello ' }, { text: 'from Keel via acpx.' }]]));
    const run = spawnSync(process.execPath, [acpxBin!, '--agent', `${process.execPath} ${keelEntry} acp`, '--approve-all', '--format', 'json', 'exec', 'say hello'], {
      cwd: home,
      env: { ...process.env, HOME: home, KEEL_HOME: home, KEEL_SCRIPT: script, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('from Keel via acpx.');
  });
});
