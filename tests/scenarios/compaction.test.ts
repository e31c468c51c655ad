// Compaction in-process (tests/scenarios/README.md) on the Responses wire: thread/compact/start as Codex shapes it, automatic
// compaction before a call that would pass the configured limit, compaction and one retry after a
// context-window error, and a failed compaction that leaves the thread usable. Every original
// item stays in thread/read; the model gets the summary instead of what came before it.
import { describe, expect, it } from 'vitest';
import { COMPACTION_PROMPT } from '../../src/engine/turns/compaction.js';
import { conversationBody } from '../helpers/preamble.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, keelWithThread, methods, params, runTurn, turnOf } from '../helpers/turns.js';
import { anthropic, chat, responses as wire } from '../helpers/wire-streams.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { inProcess } from '../helpers/in-process-server.js';

const fake = useFakeModelServer();

function start(keel: string[] = [], keelTable?: string[]) {
  return keelWithThread({ thread: FULL_ACCESS, config: ['model = "gpt-4.1"', ...keel], ...(keelTable && { keel: keelTable }), spawn: { serve: inProcess, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } } });
}

type Entry = Record<string, any>;
const inputOf = (index: number) => conversationBody(fake.calls[index]!).input as Entry[];
const texts = (input: Entry[]) =>
  input.map((entry) => (typeof entry.content === 'string' ? entry.content : (entry.content ?? []).map((part: Entry) => part.text ?? '').join('')) || entry.type);
const isSummary = (text: string) => text.startsWith('<conversation_summary>');

describe('compaction', () => {
  it('thread/compact/start: a turn with a contextCompaction item; the next call gets the summary instead of the old turns, thread/read keeps them', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('Hi there.')]) },
      { sse: wire.stream([wire.message('The user said hello; I greeted them.')]) },
      { sse: wire.stream([wire.message('Next answer.')]) },
    ]);
    const { keel, threadId } = await start();
    await runTurn(keel, threadId, 'hello');
    const before = keel.messages.length;
    expect(await keel.request('thread/compact/start', { threadId })).toEqual({});
    const done = await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    expect(methods(seq).filter((m) => m !== 'thread/tokenUsage/updated')).toEqual(['thread/status/changed', 'turn/started', 'item/started', 'item/completed', 'thread/status/changed', 'turn/completed']);
    const compaction = params(seq.find((m) => m.method === 'item/completed')!).item;
    expect(compaction).toEqual({ type: 'contextCompaction', id: expect.any(String) });
    expect(params(done).turn).toMatchObject({ status: 'completed', error: null });
    // The compaction call: the history, then the request for a summary, and no tools.
    expect(texts(inputOf(1)).slice(-3)).toEqual(['hello', 'Hi there.', COMPACTION_PROMPT]);
    expect((fake.calls[1]!.body as { tools?: unknown[] }).tools ?? []).toEqual([]);
    await runTurn(keel, threadId, 'next');
    const next = texts(inputOf(2));
    expect(next.filter(isSummary)).toEqual([expect.stringContaining('The user said hello; I greeted them.')]);
    expect(next).not.toContain('hello');
    expect(next.at(-1)).toBe('next');
    const read = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(read.thread.turns.map((turn) => turn.items.map((item) => item.type))).toEqual([['userMessage', 'agentMessage'], ['contextCompaction'], ['userMessage', 'agentMessage']]);
  });

  it('compacts on its own before a call that would pass model_auto_compact_token_limit, keeping the request being worked on', async () => {
    fake.script(wire.route, [
      // A real model reports the 24,000 characters it wrote as about 6,000 output tokens.
      { sse: wire.stream([wire.message('x'.repeat(24_000))], wire.usage(10, 0, 6_000)) },
      { sse: wire.stream([wire.message('A long answer was given.')]) },
      { sse: wire.stream([wire.message('Short now.')]) },
    ]);
    const { keel, threadId } = await start(['model_auto_compact_token_limit = 5000']);
    await runTurn(keel, threadId, 'say a lot');
    const seq = await runTurn(keel, threadId, 'and now?');
    expect(seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item.type)).toEqual(['userMessage', 'contextCompaction', 'agentMessage']);
    expect(texts(inputOf(1)).at(-1)).toBe(COMPACTION_PROMPT);
    const after = texts(inputOf(2));
    expect(after.filter(isSummary)).toHaveLength(1);
    expect(after.some((text) => text.startsWith('xxxx'))).toBe(false);
    expect(after.at(-1)).toBe('and now?');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
  });

  it('counts from what the provider reported: a long message it reported as few tokens is not compacted; a short conversation it reported past the limit is', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('Read it.')], wire.usage(100, 0, 5)) },
      // The instructions and tools the provider counts are not in Keel's character estimate.
      { sse: wire.stream([wire.message('Short.')], wire.usage(9_000, 0, 5)) },
      { sse: wire.stream([wire.message('Summary.')]) },
      { sse: wire.stream([wire.message('After.')]) },
    ]);
    const { keel, threadId } = await start(['model_auto_compact_token_limit = 8000']);
    await runTurn(keel, threadId, 'z'.repeat(20_000));
    // 100 + 5 reported, plus about 4,000 for the new message: no compaction (the estimate of the whole passes 9,000).
    const second = await runTurn(keel, threadId, 'w'.repeat(16_000));
    expect(second.filter((m) => m.method === 'item/completed').map((m) => params(m).item.type)).toEqual(['userMessage', 'agentMessage']);
    // 9,000 + 5 reported: compacted before the next call.
    const third = await runTurn(keel, threadId, 'again');
    expect(third.filter((m) => m.method === 'item/completed').map((m) => params(m).item.type)).toEqual(['userMessage', 'contextCompaction', 'agentMessage']);
    expect(texts(inputOf(2)).at(-1)).toBe(COMPACTION_PROMPT);
    expect(texts(inputOf(3)).filter(isSummary)).toEqual([expect.stringContaining('Summary.')]);
  });

  it('a context-window error is answered by compacting and trying the call once more', async () => {
    const overflow = { json: { error: { message: 'Your input exceeds the context window of this model.', type: 'invalid_request_error', code: 'context_length_exceeded' } }, status: 400 };
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      overflow,
      { sse: wire.stream([wire.message('Summary of the first turn.')]) },
      { sse: wire.stream([wire.message('Fits now.')]) },
    ]);
    const { keel, threadId } = await start();
    await runTurn(keel, threadId, 'one');
    const seq = await runTurn(keel, threadId, 'two');
    expect(turnOf(seq)).toMatchObject({ status: 'completed', error: null });
    expect(seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item.type)).toEqual(['userMessage', 'contextCompaction', 'agentMessage']);
    expect(texts(inputOf(3)).filter(isSummary)).toEqual([expect.stringContaining('Summary of the first turn.')]);
  });

  it('a compaction whose model call fails fails its turn clearly; the next turn runs on the full history', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      { json: { error: { message: 'bad request', type: 'invalid_request_error' } }, status: 400 },
      { sse: wire.stream([wire.message('Still here.')]) },
    ]);
    const { keel, threadId } = await start();
    await runTurn(keel, threadId, 'one');
    await keel.request('thread/compact/start', { threadId });
    const failed = await keel.waitFor('turn/completed');
    expect(params(failed).turn).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/^compaction failed: .*; the thread keeps its full history$/) } });
    const seq = await runTurn(keel, threadId, 'two');
    expect(turnOf(seq)).toMatchObject({ status: 'completed' });
    const input = texts(inputOf(2));
    expect(input.filter(isSummary)).toEqual([]);
    expect(input).toEqual(expect.arrayContaining(['one', 'First.', 'two']));
  });

  it('a compaction is a model call like any other: a 503 with retry-after is retried after it (error willRetry:true), and the retry\'s summary is used', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      { ...wire.error(503, 'server_is_overloaded', 'Service temporarily unavailable'), headers: { 'retry-after': '0.4' } },
      { sse: wire.stream([wire.message('Summary after a retry.')]) },
      { sse: wire.stream([wire.message('Next.')]) },
    ]);
    const { keel, threadId } = await start();
    await runTurn(keel, threadId, 'one');
    const before = keel.messages.length;
    await keel.request('thread/compact/start', { threadId });
    const done = await keel.waitFor('turn/completed');
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    const turnId = params(done).turn.id;
    expect(methods(seq)).toEqual(['thread/status/changed', 'turn/started', 'item/started', 'error', 'thread/tokenUsage/updated', 'item/completed', 'thread/status/changed', 'turn/completed']);
    const error = seq.find((m) => m.method === 'error')!;
    expect(params(error)).toEqual({
      threadId,
      turnId,
      willRetry: true,
      error: { message: '503 Service temporarily unavailable', codexErrorInfo: 'serverOverloaded', additionalDetails: null },
    });
    // The retry waited for retry-after (400 ms), not the first backoff (about 200 ms).
    const item = seq.find((m) => m.method === 'item/completed')!;
    expect(item.emittedAtMs! - error.emittedAtMs!).toBeGreaterThanOrEqual(400);
    expect(params(done).turn).toMatchObject({ status: 'completed', error: null });
    expect(conversationBody(fake.calls[2]!)).toEqual(conversationBody(fake.calls[1]!));
    await runTurn(keel, threadId, 'two');
    expect(texts(inputOf(3)).filter(isSummary)).toEqual([expect.stringContaining('Summary after a retry.')]);
  });

  it('a silent compaction stream ends by the idle timeout: the turn fails saying so, and the thread keeps its history', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('First.')]) },
      { sse: wire.stream([wire.message('never finished')]), stallAfter: 1 },
    ]);
    const { keel, threadId } = await start([], ['stream_idle_timeout_ms = 300', 'max_retries = 0']);
    await runTurn(keel, threadId, 'one');
    const before = keel.messages.length;
    await keel.request('thread/compact/start', { threadId });
    const done = await keel.waitFor('turn/completed', 5_000);
    const seq = keel.messages.slice(before).filter((m) => m.method !== undefined);
    const error = { message: 'compaction failed: model stream was silent for 300 ms; the thread keeps its full history', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } }, additionalDetails: null };
    expect(methods(seq)).toEqual(['thread/status/changed', 'turn/started', 'item/started', 'item/completed', 'thread/status/changed', 'error', 'turn/completed']);
    expect(params(seq[5]!)).toEqual({ threadId, turnId: params(done).turn.id, willRetry: false, error });
    expect(params(done).turn).toMatchObject({ status: 'failed', error });
    expect(params(seq[3]!).item).toEqual({ type: 'contextCompaction', id: expect.any(String) });
    await fake.waitForClientClose(2);
  });

  it('thread/compact/start on Chat Completions and Anthropic Messages too; the summary reaches the next call', async () => {
    const wires = [
      {
        config: ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'],
        route: chat.route,
        answer: (text: string) => ({ sse: chat.stream([chat.text(text)]) }),
        env: { FAKE_API_KEY: 'k' },
      },
      {
        config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'],
        route: anthropic.route,
        answer: (text: string) => ({ sse: anthropic.stream([anthropic.text(text)]) }),
        env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url },
      },
    ];
    for (const w of wires) {
      fake.script(w.route, [w.answer('Hi.'), w.answer(`Summary via ${w.route}.`), w.answer('Next.')]);
      const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, config: w.config, spawn: { serve: inProcess, env: w.env } });
      const first = fake.calls.length;
      await runTurn(keel, threadId, 'hello');
      await keel.request('thread/compact/start', { threadId });
      const done = await keel.waitFor('turn/completed');
      expect(params(done).turn).toMatchObject({ status: 'completed' });
      await runTurn(keel, threadId, 'next');
      const last = JSON.stringify(fake.calls[first + 2]!.body);
      expect(last).toContain(`Summary via ${w.route}.`);
      expect(last).toContain('conversation_summary');
      expect(JSON.stringify(fake.calls[first + 1]!.body)).toContain('Compact this conversation');
      await keel.close();
    }
  });

  it('replay equals live across an automatic compaction: thread/read after a restart is what the live thread showed', async () => {
    fake.script(wire.route, [
      { sse: wire.stream([wire.message('y'.repeat(24_000))], wire.usage(10, 0, 6_000)) },
      { sse: wire.stream([wire.message('Compacted.')]) },
      { sse: wire.stream([wire.message('Done.')]) },
    ]);
    const { keel, threadId, home, env } = await startWithHome(['model_auto_compact_token_limit = 5000']);
    await runTurn(keel, threadId, 'long');
    await runTurn(keel, threadId, 'short');
    const live = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(live.thread.turns.flatMap((turn) => turn.items.map((item) => item.type))).toEqual(['userMessage', 'agentMessage', 'userMessage', 'contextCompaction', 'agentMessage']);
    expect(await keel.close()).toBe(0);
    const restarted = spawnKeel({ serve: inProcess, home, env });
    await initialized(restarted);
    const replayed = await restarted.request('thread/read', { threadId, includeTurns: true });
    expect({ ...replayed.thread, status: null }).toEqual({ ...live.thread, status: null });
    await restarted.close();
  });
});

async function startWithHome(keelConfig: string[]) {
  const { turnHome } = await import('../helpers/turns.js');
  const { home, env: base } = turnHome({ config: ['model = "gpt-4.1"', ...keelConfig] });
  const env = { ...base, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` };
  const keel = spawnKeel({ serve: inProcess, home, env });
  await initialized(keel);
  const started = await keel.request('thread/start', FULL_ACCESS);
  return { keel, threadId: started.thread.id, home, env };
}

