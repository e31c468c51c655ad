// A cacheable prefix (app-server.md "What Keel sends to models"): providers cache the longest
// prefix of a request they have seen, so each request of a thread must begin, byte for byte, with
// the previous one. The engine is built in-process (its clock injectable: the date changes between
// turns) against the fake Responses server; every request's input is compared with the one before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEEL_PROMPT } from '../../src/engine/turns/keel-prompt.js';
import { PLAN_MODE_PROMPT } from '../../src/engine/turns/plan-mode.js';
import { COMPACTION_PROMPT } from '../../src/engine/turns/compaction.js';
import { summaryMessage } from '../../src/engine/turns/conversation.js';
import type { TurnOptions } from '../../src/engine/turns/model-call.js';
import type { SettingsParams } from '../../src/engine/thread-settings.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { openTestKeel, RecordingSubscriber, type TestKeel } from '../helpers/engine.js';
import { responses } from '../helpers/wire-streams.js';

type Json = Record<string, any>;

let fake: FakeModelServer;
const opened: TestKeel[] = [];
let home: string;
beforeEach(async () => {
  fake = await startFakeModelServer();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-prefix-'));
});
afterEach(async () => {
  for (const { keel } of opened.splice(0)) await keel.close();
  fs.rmSync(home, { recursive: true, force: true });
  try {
    fake.assertDone();
  } finally {
    await fake.close();
  }
});

const DAY = 86_400_000;
let at = Date.UTC(2026, 2, 10, 12);
const clock = () => at;

async function open(): Promise<TestKeel['keel']> {
  const test = await openTestKeel({ env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` }, now: clock, dbPath: path.join(home, 'keel.db') }, home);
  opened.push(test);
  return test.keel;
}

const text = (t: string) => ({ type: 'text' as const, text: t, text_elements: [] });
const user = (t: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text: t }] });
const developer = (t: string) => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: t }] });
const assistant = (t: string) => ({ type: 'message', role: 'assistant', content: t });
const agentsFile = (dir: string, t: string) => user(`# AGENTS.md instructions for ${dir}\n\n<INSTRUCTIONS>\n${t}\n</INSTRUCTIONS>`);

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function environment(cwd: string, approval: string, sandbox: string, roots: string[] | null): Json {
  const lines = [
    `  <cwd>${cwd}</cwd>`,
    `  <shell>${path.basename(process.env.SHELL || 'sh')}</shell>`,
    `  <current_date>${localDate(at)}</current_date>`,
    `  <timezone>${Intl.DateTimeFormat().resolvedOptions().timeZone}</timezone>`,
    `  <approval_policy>${approval}</approval_policy>`,
    `  <sandbox_mode>${sandbox}</sandbox_mode>`,
    '  <network_access>restricted</network_access>',
  ];
  if (roots) lines.push(`  <writable_roots>${roots.join(', ')}</writable_roots>`);
  return user(`<environment_context>\n${lines.join('\n')}\n</environment_context>`);
}

/** A repository with an AGENTS.md at its root and in `pkg/`. */
function workspace() {
  const repo = path.join(fs.realpathSync(home), 'repo');
  const pkg = path.join(repo, 'pkg');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(pkg);
  fs.writeFileSync(path.join(repo, 'AGENTS.md'), 'Run `npm test` before you finish.\n');
  fs.writeFileSync(path.join(pkg, 'AGENTS.md'), 'This package has no dependencies.\n');
  return { repo, pkg };
}

const PLAN_MODE_ENDED =
  'Plan mode has ended: you are in the default mode now. You may change files and run commands again, within the approval policy and sandbox; the Plan-mode rules above no longer apply.';

const DEFAULT: TurnOptions = { summary: null, outputSchema: null };

async function runTurn(keel: TestKeel['keel'], client: RecordingSubscriber, threadId: string, input: string, settings: SettingsParams = {}, options: TurnOptions = DEFAULT) {
  const { value: turn, publish } = await keel.threads.startTurn(threadId, { input: [text(input)], settings, options }, client);
  publish();
  const done = await client.waitFor((n) => n.method === 'turn/completed' && (n.params as Json).turn.id === turn.id);
  expect((done.params as Json).turn.status).toBe('completed');
}

const inputOf = (call: number) => (fake.calls[call]!.body as Json).input as Json[];

/** Call `call`'s input is call `call - 1`'s, byte for byte, followed by `tail`. */
function expectAppended(call: number, tail: Json[]) {
  const before = inputOf(call - 1);
  const input = inputOf(call);
  expect(JSON.stringify(input.slice(0, before.length))).toBe(JSON.stringify(before));
  expect(input.slice(before.length)).toEqual(tail);
}

const answer = (reply: string) => ({ sse: responses.stream([responses.message(reply)]) });
const toolsOf = (call: number) => (fake.calls[call]!.body as Json).tools as Json[];

/** Keel, a thread in `repo` (on-request, workspace-write) and its first turn, answered `one`. */
async function firstTurn() {
  const { repo, pkg } = workspace();
  const keel = await open();
  const client = new RecordingSubscriber();
  const started = await keel.threads.start({ cwd: repo, approvalPolicy: 'on-request', sandbox: 'workspace-write' }, client);
  started.publish();
  const threadId = started.value.id;
  fake.script(responses.route, [answer('one')]);
  await runTurn(keel, client, threadId, 'first');
  expect(inputOf(0)).toEqual([developer(KEEL_PROMPT), agentsFile(repo, 'Run `npm test` before you finish.'), environment(repo, 'on-request', 'workspace-write', [repo]), user('first')]);
  return { keel, client, threadId, repo, pkg };
}

describe('each request begins with the one before it', () => {
  beforeEach(() => {
    at = Date.UTC(2026, 2, 10, 12);
  });

  it('across the calls of a tool loop and into the next turn, with the same tools in the same order', async () => {
    const { keel, client, threadId } = await firstTurn();
    const plan = '{"plan":[{"step":"read","status":"in_progress"}]}';
    fake.script(responses.route, [{ sse: responses.stream([responses.functionCall('call_1', 'update_plan', plan)]) }, answer('two')]);
    await runTurn(keel, client, threadId, 'second');
    expectAppended(1, [assistant('one'), user('second')]);
    expectAppended(2, [
      { type: 'function_call', call_id: 'call_1', name: 'update_plan', arguments: plan },
      { type: 'function_call_output', call_id: 'call_1', output: 'Plan updated' },
    ]);
    expect(toolsOf(1)).toEqual(toolsOf(0));
    expect(toolsOf(2)).toEqual(toolsOf(0));
  });

  it('a turn that moves the cwd and changes approvals and sandbox: the new facts come before its message', async () => {
    const { keel, client, threadId, repo, pkg } = await firstTurn();
    fake.script(responses.route, [answer('two'), answer('three')]);
    await runTurn(keel, client, threadId, 'second', { cwd: pkg, approvalPolicy: 'never', sandbox: 'read-only' });
    expectAppended(1, [
      assistant('one'),
      agentsFile(repo, 'Run `npm test` before you finish.'),
      agentsFile(pkg, 'This package has no dependencies.'),
      environment(pkg, 'never', 'read-only', null),
      user('second'),
    ]);
    // The override stays (as in Codex): the next turn adds nothing.
    await runTurn(keel, client, threadId, 'third');
    expectAppended(2, [assistant('two'), user('third')]);
  });

  it('a Plan-mode turn has its rules before its message; the default turn after it is told Plan mode ended', async () => {
    const { keel, client, threadId } = await firstTurn();
    fake.script(responses.route, [answer('two'), answer('three'), answer('four')]);
    await runTurn(keel, client, threadId, 'plan it', {}, { ...DEFAULT, mode: 'plan' });
    expectAppended(1, [assistant('one'), developer(PLAN_MODE_PROMPT), user('plan it')]);
    await runTurn(keel, client, threadId, 'do it', {}, { ...DEFAULT, mode: 'default' });
    expectAppended(2, [assistant('two'), developer(PLAN_MODE_ENDED), user('do it')]);
    await runTurn(keel, client, threadId, 'and more');
    expectAppended(3, [assistant('three'), user('and more')]);
  });

  it('a new day: a new environment_context before the message', async () => {
    const { keel, client, threadId, repo } = await firstTurn();
    at += DAY;
    fake.script(responses.route, [answer('two')]);
    await runTurn(keel, client, threadId, 'next day');
    expectAppended(1, [assistant('one'), environment(repo, 'on-request', 'workspace-write', [repo]), user('next day')]);
  });

  it('an edited AGENTS.md: the files that apply now, before the message', async () => {
    const { keel, client, threadId, repo } = await firstTurn();
    fs.writeFileSync(path.join(repo, 'AGENTS.md'), 'Run `npm run check` before you finish.\n');
    fake.script(responses.route, [answer('two')]);
    await runTurn(keel, client, threadId, 'edited');
    expectAppended(1, [assistant('one'), agentsFile(repo, 'Run `npm run check` before you finish.'), user('edited')]);
  });

  it('a thread resumed by a restarted Keel: the history rebuilt from the log is the one sent live', async () => {
    const first = await firstTurn();
    let { keel } = first;
    fake.script(responses.route, [answer('two')]);
    await runTurn(keel, first.client, first.threadId, 'plan in pkg', { cwd: first.pkg }, { ...DEFAULT, mode: 'plan' });
    expectAppended(1, [
      assistant('one'),
      agentsFile(first.repo, 'Run `npm test` before you finish.'),
      agentsFile(first.pkg, 'This package has no dependencies.'),
      environment(first.pkg, 'on-request', 'workspace-write', [first.pkg]),
      developer(PLAN_MODE_PROMPT),
      user('plan in pkg'),
    ]);
    await keel.close();
    opened.splice(0);
    keel = await open();
    const client = new RecordingSubscriber();
    (await keel.threads.resume(first.threadId, {}, client)).publish();
    fake.script(responses.route, [answer('three')]);
    await runTurn(keel, client, first.threadId, 'resumed');
    expectAppended(2, [assistant('two'), developer(PLAN_MODE_ENDED), user('resumed')]);
  });

  it('a compaction keeps what is in effect in front of the summary: the preamble of the first turn when nothing changed', async () => {
    const { keel, client, threadId, repo } = await firstTurn();
    fake.script(responses.route, [answer('The user said first; I answered one.'), answer('two')]);
    const { publish } = await keel.threads.compact(threadId, client);
    publish();
    const compaction = (await keel.registry.read(threadId)).activeTurnId;
    await client.waitFor((n) => n.method === 'turn/completed' && (n.params as Json).turn.id === compaction);
    expectAppended(1, [assistant('one'), user(COMPACTION_PROMPT)]);
    await runTurn(keel, client, threadId, 'after');
    const preamble = inputOf(0).slice(0, 3);
    expect(inputOf(2)).toEqual([...preamble, user(summaryText('The user said first; I answered one.')), user('after')]);
    expect(preamble.at(-1)).toEqual(environment(repo, 'on-request', 'workspace-write', [repo]));
  });
});

const summaryText = (summary: string) => (summaryMessage(summary) as { content: Array<{ text: string }> }).content[0]!.text;

