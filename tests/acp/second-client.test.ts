// `keel acp` driven by clients other than the official SDK the rest of tests/acp uses:
// - a raw JSONL client with no SDK (acp-raw-client.ts), which knows only the wire as ACP's spec
//   writes it: always runs;
// - acpx (npm `acpx` 0.19.1, github.com/openclaw/acpx), a published headless ACP client CLI that
//   drives any ACP agent from the command line: its own session store (~/.acpx), queue-owner
//   process, permission policy (--approve-all) and NDJSON output, over the SDK's connection. It runs
//   on the Node 22 scripts/install-acpx.mjs installs beside it (it needs Node >= 22.13); where that is
//   not installed its tests skip saying why, or fail when KEEL_TEST_ACPX_REQUIRED=1 (CI sets it).
//   acpx's `--format json` prints the connection's messages both ways; the assertions are on those,
//   and every one Keel wrote is checked against ACP's JSON Schema (acp-acpx.ts). acpx reopens a
//   saved session with session/resume when Keel offers it (it does), so no history is resent; the
//   replay of session/load is asserted by the SDK's tests (acp-basics), and here that a new Keel
//   process continues the session.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noAcpxReason, queueOwnersGone, runAcpx, type AcpLine, type AcpxRun } from '../helpers/acp-acpx.js';
import { startRawAcp } from '../helpers/acp-raw-client.js';

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


/** acpx exited cleanly and every message Keel wrote is valid ACP. */
function expectClean(run: AcpxRun): void {
  expect({ status: run.status, problems: run.problems, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, problems: [], stderr: '' });
}

/** The methods of the requests acpx sent Keel, in order. */
const requestsOf = (run: AcpxRun) => (run.lines as AcpLine[]).filter((l) => l.jsonrpc === '2.0' && l.id !== undefined && l.method !== undefined && !run.fromKeel.includes(l)).map((l) => l.method);

/** The connection's messages from the session/prompt request on. */
const promptTurn = (run: AcpxRun) => run.lines.slice(run.lines.findIndex((l) => l.method === 'session/prompt'));

const update = (sessionId: string, body: object) => ({ jsonrpc: '2.0', method: 'session/update', params: { sessionId, update: body } });
const answerChunk = (sessionId: string, text: string) => update(sessionId, { sessionUpdate: 'agent_message_chunk', messageId: expect.any(String), content: { type: 'text', text } });
const promptRequest = (sessionId: string, text: string) => ({ jsonrpc: '2.0', id: expect.any(Number), method: 'session/prompt', params: { sessionId, prompt: [{ type: 'text', text }] } });
const endTurn = { jsonrpc: '2.0', id: expect.any(Number), result: { stopReason: 'end_turn' } };
/** A model call's usage (the scripted model's window; it has no price, so no cost). */
const usage = (sessionId: string) => update(sessionId, { sessionUpdate: 'usage_update', used: expect.any(Number), size: 1_000_000 });
/** The turn's end, as the session's last activity. */
const turnEnded = (sessionId: string) => update(sessionId, { sessionUpdate: 'session_info_update', updatedAt: expect.any(String) });

const skipped = noAcpxReason === null ? '' : ` (skipped: ${noAcpxReason})`;

// Each acpx run starts two Node processes (acpx, and Keel), a prompt a third (acpx's queue owner).
describe.skipIf(noAcpxReason !== null)('acpx, a published ACP client', { timeout: 90_000 }, () => {
  const newHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keel-acpx-'));

  it(`runs a one-shot exec prompt: session/new, the answer streamed, end_turn${skipped}`, async () => {
    const home = newHome();
    const run = await runAcpx(['exec', 'say hello'], { home, script: [[{ text: 'Hello ' }, { text: 'from Keel via acpx.' }]] });
    expectClean(run);
    expect(requestsOf(run)).toEqual(['initialize', 'session/new', 'session/prompt']);
    const created = run.lines.find((l) => l.result?.sessionId !== undefined);
    expect(created).toMatchObject({ jsonrpc: '2.0', result: { sessionId: expect.any(String), modes: { currentModeId: 'read-only' } } });
    const sessionId = created.result.sessionId as string;
    expect(promptTurn(run)).toEqual([promptRequest(sessionId, 'say hello'), answerChunk(sessionId, 'Hello '), answerChunk(sessionId, 'from Keel via acpx.'), usage(sessionId), turnEnded(sessionId), endTurn]);
  });

  it(`runs a command after a permission request acpx approves (--approve-all): the tool call, the request, its completion${skipped}`, async () => {
    const home = newHome();
    // Without acpx's terminal and files, Keel runs the command itself and streams its output.
    const run = await runAcpx(['--no-fs', '--no-terminal', 'exec', 'run it'], {
      home,
      script: [[{ toolCall: { name: 'exec_command', callId: 'c1', arguments: { cmd: 'echo acpx-ran > ran.txt; cat ran.txt', login: false, yield_time_ms: 30_000 } } }], [{ text: 'Ran it.' }]],
      keelArgs: ['-c', 'approval_policy="untrusted"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    expectClean(run);
    expect(requestsOf(run)).toEqual(['initialize', 'session/new', 'session/prompt']);
    const sessionId = run.lines.find((l) => l.result?.sessionId !== undefined).result.sessionId as string;
    const title = 'echo acpx-ran > ran.txt; cat ran.txt';
    const command = expect.stringMatching(/bash -c 'echo acpx-ran > ran\.txt; cat ran\.txt'$/);
    const turn = promptTurn(run);
    // The command's output as it streamed (how many chunks is the pipe's business), then the rest whole.
    const streamed = (l: any) => l.params?.update?.sessionUpdate === 'tool_call_update' && l.params.update.status === undefined;
    expect(turn.filter(streamed).flatMap((l) => l.params.update.content.map((c: any) => c.content.text)).join('')).toBe('acpx-ran\n');
    expect(turn.filter((l) => !streamed(l))).toEqual([
      promptRequest(sessionId, 'run it'),
      usage(sessionId),
      update(sessionId, { sessionUpdate: 'tool_call', toolCallId: 'c1', title, kind: 'execute', rawInput: { command, cwd: home }, status: 'in_progress' }),
      update(sessionId, { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'pending' }),
      {
        jsonrpc: '2.0',
        id: expect.any(Number),
        method: 'session/request_permission',
        params: {
          sessionId,
          toolCall: { toolCallId: 'c1', title, kind: 'execute', status: 'pending', rawInput: { command, cwd: home, reason: null } },
          options: [
            { optionId: 'allow_once', name: 'Allow', kind: 'allow_once' },
            { optionId: 'allow_always', name: 'Always allow', kind: 'allow_always' },
            { optionId: 'reject_once', name: 'Reject', kind: 'reject_once' },
          ],
        },
      },
      // acpx's answer: --approve-all picks the allow-once option.
      { jsonrpc: '2.0', id: expect.any(Number), result: { outcome: { outcome: 'selected', optionId: 'allow_once' } } },
      update(sessionId, { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'in_progress' }),
      update(sessionId, { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed', content: [{ type: 'content', content: { type: 'text', text: 'acpx-ran\n' } }], rawOutput: { exitCode: 0, durationMs: expect.any(Number) } }),
      answerChunk(sessionId, 'Ran it.'),
      usage(sessionId),
      turnEnded(sessionId),
      endTurn,
    ]);
    expect(fs.readFileSync(path.join(home, 'ran.txt'), 'utf8')).toBe('acpx-ran\n');
  });

  it(`runs a command in acpx's own terminal (its default): terminal/create, the call showing the terminal, wait_for_exit, output, release${skipped}`, async () => {
    const home = newHome();
    const run = await runAcpx(['exec', 'run it'], {
      home,
      script: [[{ toolCall: { name: 'exec_command', callId: 'c1', arguments: { cmd: 'echo in-acpx-terminal > ran.txt; cat ran.txt', login: false, yield_time_ms: 30_000 } } }], [{ text: 'Ran it.' }]],
      keelArgs: ['-c', 'approval_policy="never"', '-c', 'sandbox_mode="danger-full-access"'],
    });
    expectClean(run);
    const sessionId = run.lines.find((l) => l.result?.sessionId !== undefined).result.sessionId as string;
    const turn = promptTurn(run) as AcpLine[];
    const create = turn.find((l) => l.method === 'terminal/create')!;
    expect(create).toEqual({ jsonrpc: '2.0', id: expect.any(Number), method: 'terminal/create', params: { sessionId, command: expect.stringMatching(/bash$/), args: ['-c', 'echo in-acpx-terminal > ran.txt; cat ran.txt'], env: expect.any(Array), cwd: home, outputByteLimit: 1024 * 1024 } });
    const terminalId = turn.find((l) => l.id === create.id && l.result !== undefined)!.result.terminalId as string;
    const showsTerminal = { content: [{ type: 'terminal', terminalId }] };
    // Keel's requests to acpx, in order (its output polls folded), and the call's updates.
    const keelAsked = turn.filter((l) => l.method?.startsWith('terminal/')).map((l) => l.method).filter((m, i, all) => !(m === 'terminal/output' && all[i - 1] === m));
    expect(keelAsked).toEqual(['terminal/create', 'terminal/wait_for_exit', 'terminal/output', 'terminal/release']);
    expect(turn.filter((l) => l.method === 'session/update' && l.params.update.toolCallId === 'c1').map((l) => l.params.update)).toEqual([
      { sessionUpdate: 'tool_call', toolCallId: 'c1', title: 'echo in-acpx-terminal > ran.txt; cat ran.txt', kind: 'execute', rawInput: expect.any(Object), status: 'in_progress', ...showsTerminal },
      { sessionUpdate: 'tool_call_update', toolCallId: 'c1', status: 'completed', ...showsTerminal, rawOutput: { exitCode: 0, durationMs: expect.any(Number) } },
    ]);
    expect(fs.readFileSync(path.join(home, 'ran.txt'), 'utf8')).toBe('in-acpx-terminal\n');
    // The prompt's answer; acpx's reply to the release may come after it.
    expect(turn.filter((l) => l.result?.stopReason !== undefined)).toEqual([endTurn]);
  });

  it(`keeps a persistent session: sessions new, then each prompt in a new acpx and a new Keel, which session/resumes it${skipped}`, async () => {
    const home = newHome();
    const created = await runAcpx(['sessions', 'new'], { home });
    expectClean(created);
    expect(created.lines).toEqual([{ action: 'session_ensured', created: true, acpxRecordId: expect.any(String), acpxSessionId: expect.any(String) }]);
    // acpx's record is named by Keel's session id.
    const sessionId = created.lines[0].acpxSessionId as string;
    // --ttl: the queue owner acpx leaves behind stops (with its Keel) as soon as the turn is over, so
    // the next prompt starts a new one. Each Keel gets a script of its own: a Keel that outlived its
    // turn would answer the second prompt with the first script's spare answer instead.
    const prompts = [
      { text: 'first', script: [[{ text: 'First answer.' }], [{ text: 'Spare answer of the first Keel.' }]], answer: 'First answer.' },
      { text: 'second', script: [[{ text: 'Second answer.' }]], answer: 'Second answer.' },
    ];
    for (const prompt of prompts) {
      const run = await runAcpx(['--ttl', '0.01', 'prompt', prompt.text], { home, script: prompt.script });
      await queueOwnersGone(home);
      expectClean(run);
      // Keel offers session/resume (sessionCapabilities.resume), which acpx prefers to a load: no history resent.
      expect(requestsOf(run)).toEqual(['initialize', 'session/resume', 'session/prompt']);
      expect(run.lines.find((l) => l.method === 'session/resume')).toEqual({ jsonrpc: '2.0', id: expect.any(Number), method: 'session/resume', params: { sessionId, cwd: home, mcpServers: [] } });
      expect(promptTurn(run)).toEqual([promptRequest(sessionId, prompt.text), answerChunk(sessionId, prompt.answer), usage(sessionId), turnEnded(sessionId), endTurn]);
    }
  });
});
