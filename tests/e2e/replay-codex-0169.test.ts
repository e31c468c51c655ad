// A client written for Codex 0.169.0 drives Keel unchanged: the client side of each recorded
// conversation with Codex's real server is replayed line for line (same methods, params and ids; only
// paths and Codex's own ids translated, tests/helpers/transcript-replay.ts), and every request gets the
// kind of answer Codex gave it — a result where Codex answered one, the same error where it refused.
// Every message Keel sends on the way is checked against the 0.171.0 and 0.169.0 schemas (conformance).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { transcript } from '../helpers/codex-transcripts.js';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';
import { replayClientTraffic, type ReplayedRequest } from '../helpers/transcript-replay.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();
const cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Where Keel's error code differs from Codex's on purpose (app-server.md, "Errors"). */
function expectedCode(codex: { code: number; message: string }): number {
  // Codex reports an unknown method as a failed parse of its request enum; JSON-RPC's code is -32601.
  if (codex.code === -32600 && /unknown variant/.test(codex.message)) return -32601;
  // Codex reports bad params as an invalid request; JSON-RPC's code for them is -32602.
  if (codex.code === -32600 && /^Invalid request: (invalid type|missing field|invalid value)/.test(codex.message)) return -32602;
  return codex.code;
}

/** Requests Keel answers otherwise on purpose, by transcript and request id, with the reason. */
const DELIBERATE: ReadonlyMap<string, { answer: string; why: string }> = new Map([
  ['extras-noparams#5', { answer: 'result', why: 'Keel reads `params: null` as `{}` (app-server.md, "Connection"); Codex refuses it' }],
  ['probe-framing#8', { answer: 'result', why: 'Keel reads absent params as `{}` where every field is optional; Codex refuses them' }],
  ['probe-framing#10', { answer: 'error -32600', why: 'an experimental method without experimentalApi: Keel refuses it before reading its params, Codex after (so Codex names the missing searchTerm)' }],
]);

/** The model's answers the recorded client's turns ask for, read from the transcript's inputs: the
 * fake model Codex was recorded against calls the tool a `CALL_TOOL:<name> <args>` input names. */
function scriptModel(name: string): void {
  const lines = transcript(name).filter((line) => line.msg !== null);
  const answeredWithResult = new Set(lines.filter((l) => l.dir === 'server->client' && l.msg.method === undefined && l.msg.result !== undefined).map((l) => l.msg.id));
  for (const [key, { answer }] of DELIBERATE) if (key.startsWith(`${name}#`) && answer === 'result') answeredWithResult.add(Number(key.slice(name.length + 1)));
  let call = 0;
  let listed = false;
  for (const { dir, msg } of lines) {
    if (dir !== 'client->server' || !answeredWithResult.has(msg.id)) continue;
    if (msg.method === 'thread/compact/start') fake.script(wire.route, [{ sse: wire.stream([wire.message('summary of the thread')]) }]);
    // Keel asks the provider for its models once, at the first model/list.
    if (msg.method === 'model/list' && !listed) {
      listed = true;
      fake.script('/v1/models', [{ json: { object: 'list', data: [{ id: 'gpt-5.1-codex', object: 'model', created: 0, owned_by: 'openai' }] } }]);
    }
    if (msg.method !== 'turn/start') continue;
    const text: string = msg.params?.input?.[0]?.text ?? '';
    const tool = /^CALL_TOOL:(\S+) (.*)$/s.exec(text);
    if (tool !== null) fake.script(wire.route, [{ sse: wire.stream([wire.functionCall(`call_${++call}`, tool[1]!, tool[2]!)]) }]);
    fake.script(wire.route, [{ sse: wire.stream([wire.message('hi')]) }]);
  }
}

function workDir(): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-replay-work-'));
  cleanup.push(() => fs.rmSync(work, { recursive: true, force: true }));
  return work;
}

function spawnOn(home: string): KeelProcess {
  const keel = spawnKeel({ home, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  cleanup.push(() => keel.close());
  return keel;
}

function expectSameKinds(name: string, replayed: readonly ReplayedRequest[]): void {
  const kinds = replayed.map(({ id, method, keel }) => ({
    request: `${method}#${String(id)}`,
    answer: keel.error !== undefined ? `error ${keel.error.code}` : 'result',
  }));
  const expected = replayed.map(({ id, method, codex }) => ({
    request: `${method}#${String(id)}`,
    answer: DELIBERATE.get(`${name}#${String(id)}`)?.answer ?? (codex.error !== undefined ? `error ${expectedCode(codex.error)}` : 'result'),
  }));
  expect(kinds).toEqual(expected);
}

async function replay(name: string, options: { home?: string; ids?: Map<string, string> } = {}): Promise<ReplayedRequest[]> {
  scriptModel(name);
  const home = options.home ?? makeTempHome();
  if (options.home === undefined) cleanup.push(() => fs.rmSync(home, { recursive: true, force: true }));
  const keel = spawnOn(home);
  const replayed = await replayClientTraffic(name, keel, { work: workDir(), home, ids: options.ids });
  expectSameKinds(name, replayed);
  return replayed;
}

describe('Codex 0.169.0 client traffic, replayed unchanged', () => {
  it.each(['hello', 'extras-noparams', 'extras-optout', 'probe-preinit', 'probe-gating', 'probe-gating-exp', 'probe-experimental', 'probe-framing', 'probe-misc'])(
    '%s.jsonl: every request answered as Codex answered it',
    async (name) => {
      const replayed = await replay(name);
      expect(replayed.length).toBeGreaterThan(0);
    },
  );

  it('extras-dyntool.jsonl: the dynamic tool call goes to the client and its reply to the model', async () => {
    const replayed = await replay('extras-dyntool');
    expect(replayed.map((r) => r.method)).toEqual(['initialize', 'thread/start', 'turn/start']);
    expect(JSON.stringify(fake.calls.at(-1)!.body)).toContain('dynamic tool says 42');
  });

  it('resume.jsonl: a thread stored by an earlier run is listed, read, resumed, forked, archived and reverted', async () => {
    // The recording began on a thread an earlier run stored: two turns, the second ended after its
    // user message. Seed the same with one Keel, then replay against a second one on the same home.
    const home = makeTempHome();
    cleanup.push(() => fs.rmSync(home, { recursive: true, force: true }));
    fake.script(wire.route, [{ sse: wire.stream([wire.message('hi')]) }, wire.error(400, 'invalid_request_error', 'refused')]);
    const seeder = spawnOn(home);
    await initialized(seeder);
    const { thread } = await seeder.request('thread/start', { approvalPolicy: 'never', sandbox: 'danger-full-access' });
    await seeder.request('thread/name/set', { threadId: thread.id, name: 'anchor thread' });
    for (const text of ['say hi', 'and again']) {
      await seeder.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text, text_elements: [] }] });
      await seeder.waitFor('turn/completed');
    }
    await seeder.close();
    const replayed = await replay('resume', { home, ids: new Map([['01a217c2-8317-77f1-9b36-f7bb363dda25', thread.id]]) });
    // Reverted before the seeded second turn: the first one is left, as on Codex.
    const readAfter = (r: ReplayedRequest) => (r.keel.result as { thread: { turns: Array<{ id: string }> } }).thread.turns.map((turn) => turn.id);
    const [before, after] = replayed.filter((r) => r.method === 'thread/read' && r.id !== 6).map(readAfter);
    expect(after).toEqual([before![0]]);
  });
});
