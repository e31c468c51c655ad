// The turn engine end to end in-process (tests/scenarios/README.md), on the built-in scripted provider: notification order,
// tool calls, reasoning, failures and retries, interrupt, steer, the idle watchdog, iteration cap.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel } from '../helpers/keel-process.js';
import { HELLO_METHODS, keelWithThread, methods, params, runTurn, turnOf, unknownTool, unknownToolOutput } from '../helpers/turns.js';
import { inProcess } from '../helpers/in-process-server.js';


describe('turns on the scripted provider', () => {
  it('streams a hello in Codex order and records it in the thread', async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'Hel' }, { text: 'lo!' }]] });
    const seq = await runTurn(keel, threadId, 'hi');
    expect(methods(seq)).toEqual(HELLO_METHODS);
    expect(params(seq[0]!)).toEqual({ threadId, status: { type: 'active', activeFlags: [] } });
    const turnId = params(seq[1]!).turn.id;
    expect(params(seq[2]!).item).toEqual({ type: 'userMessage', id: expect.any(String), content: [{ type: 'text', text: 'hi' }] });
    expect(params(seq[7]!).item).toEqual({ type: 'agentMessage', id: params(seq[4]!).item.id, text: 'Hello!', phase: null, memoryCitation: null });
    expect(seq.slice(5, 7).map((m) => params(m).delta)).toEqual(['Hel', 'lo!']);
    expect(params(seq[9]!)).toEqual({ threadId, status: { type: 'idle' } });
    // As Codex: a completed turn carries its final agent message (summary view).
    expect(params(seq[10]!).turn).toMatchObject({ id: turnId, status: 'completed', error: null, itemsView: 'summary', items: [params(seq[7]!).item] });
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.preview).toBe('hi');
    expect(thread.turns.map((t) => [t.status, t.items.map((i) => i.type)])).toEqual([['completed', ['userMessage', 'agentMessage']]]);
  });

  it('answers an unknown tool call with a failed tool item the model sees, then continues', async () => {
    const { keel, threadId } = await keelWithThread({
      spawn: { serve: inProcess },
      script: [[{ toolCall: { name: 'frobnicate', arguments: { x: 1 }, callId: 'call_1' } }], [{ text: 'done' }]],
    });
    const seq = await runTurn(keel, threadId, 'use a tool');
    const tool = seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item).find((i) => i.type === 'dynamicToolCall');
    expect(tool).toEqual({
      type: 'dynamicToolCall',
      id: 'call_1',
      tool: 'frobnicate',
      arguments: { x: 1 },
      status: 'failed',
      contentItems: [{ type: 'inputText', text: unknownTool('frobnicate') }],
      success: false,
      durationMs: 0,
    });
    expect(methods(seq).filter((m) => m === 'thread/tokenUsage/updated')).toHaveLength(2);
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn.status).toBe('completed');
  });

  it('streams reasoning summaries and raw reasoning as one reasoning item', async () => {
    const { keel, threadId } = await keelWithThread({
      spawn: { serve: inProcess },
      script: [[{ reasoningSummary: 'Plan', index: 0 }, { reasoningSummary: ' more', index: 0 }, { reasoningText: 'raw' }, { blockEnd: true }, { text: 'answer' }]],
    });
    const seq = await runTurn(keel, threadId, 'think');
    expect(methods(seq).slice(4, 10)).toEqual([
      'item/started',
      'item/reasoning/summaryPartAdded',
      'item/reasoning/summaryTextDelta',
      'item/reasoning/summaryTextDelta',
      'item/reasoning/textDelta',
      'item/completed',
    ]);
    expect(params(seq[9]!).item).toEqual({ type: 'reasoning', id: expect.any(String), summary: ['Plan more'], content: ['raw'] });
  });

  it('retries a rate-limited call (error willRetry:true), then succeeds', async () => {
    const { keel, threadId } = await keelWithThread({
      spawn: { serve: inProcess },
      script: [[{ error: { kind: 'rateLimitExceeded', message: 'slow down', retryAfterMs: 5 } }], [{ text: 'ok' }]],
      keel: ['max_retries = 2'],
    });
    const seq = await runTurn(keel, threadId, 'go');
    const errors = seq.filter((m) => m.method === 'error').map(params);
    expect(errors).toEqual([{ threadId, turnId: expect.any(String), willRetry: true, error: { message: 'slow down', codexErrorInfo: 'rateLimitExceeded', additionalDetails: null } }]);
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn.status).toBe('completed');
  });

  it('fails the turn, not the server, when the provider refuses: error willRetry:false then turn/completed failed', async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ error: { kind: 'unauthorized', message: 'bad key' } }]] });
    const seq = await runTurn(keel, threadId, 'go');
    const error = { message: 'bad key', codexErrorInfo: 'unauthorized', additionalDetails: null };
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: expect.any(String), willRetry: false, error }]);
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn).toMatchObject({ status: 'failed', error });
    expect(await keel.request('thread/loaded/list', {})).toEqual({ data: [threadId], nextCursor: null });
  });

  it('fails a turn whose KEEL_SCRIPT is not JSON, naming the file, never echoing its contents on the wire or on stderr', async () => {
    const home = makeTempHome();
    const script = path.join(home, 'script.json');
    fs.writeFileSync(script, 'sk-SECRET-4242 {"responses": []}');
    const keel = spawnKeel({ serve: inProcess, home, env: { KEEL_SCRIPT: script } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', {});
    const seq = await runTurn(keel, thread.id, 'go');
    expect(turnOf(seq)).toMatchObject({ status: 'failed', error: { message: expect.stringContaining(`script ${script} is not valid JSON`) } });
    expect(await keel.close()).toBe(0);
    expect(JSON.stringify(keel.messages)).not.toContain('SECRET');
    expect(keel.stderr).not.toContain('SECRET');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('fails a turn whose stream goes silent past the idle timeout', async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'partial ' }, { stall: true }]], keel: ['stream_idle_timeout_ms = 300', 'max_retries = 0'] });
    const seq = await runTurn(keel, threadId, 'go');
    const completed = params(seq.find((m) => m.method === 'turn/completed')!).turn;
    expect(completed).toMatchObject({ status: 'failed', error: { message: 'model stream was silent for 300 ms', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } } } });
    const message = seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item).find((i) => i.type === 'agentMessage');
    expect(message.text).toBe('partial ');
  });

  it('interrupts a running turn: {} then turn/completed interrupted, keeping the partial message', async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'thinking about it' }, { stall: true }]] });
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await keel.request('turn/interrupt', { threadId, turnId: turn.id })).toEqual({});
    const completed = await keel.waitFor('turn/completed');
    expect(params(completed).turn).toMatchObject({ id: turn.id, status: 'interrupted', error: null });
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'thinking about it']);
    expect(await errorOf(keel.request('turn/interrupt', { threadId, turnId: turn.id }))).toEqual({ code: -32600, message: 'no active turn to interrupt' });
  });

  it('steers a running turn: the input joins it and the model is called again with it', async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'first' }, { stall: true }], [{ text: 'second' }]] });
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await errorOf(keel.request('turn/steer', { threadId, expectedTurnId: 'other', input: [{ type: 'text', text: 'x' }] }))).toEqual({
      code: -32600,
      message: `expected turn other but the active turn is ${turn.id}`,
    });
    expect(await keel.request('turn/steer', { threadId, expectedTurnId: turn.id, input: [{ type: 'text', text: 'also this' }] })).toEqual({ turnId: turn.id });
    // As Codex: the stalled response is abandoned at once and the model is called again.
    const completed = await keel.waitFor('turn/completed');
    expect(params(completed).turn).toMatchObject({ status: 'completed', items: [{ type: 'agentMessage', text: 'second' }] });
    const { thread } = await keel.request('thread/read', { threadId, includeTurns: true });
    expect(thread.turns[0]!.items.map((i) => (i.type === 'agentMessage' ? i.text : i.type))).toEqual(['userMessage', 'first', 'userMessage', 'second']);
  });

  it("refuses text input over Codex's 1,048,576 characters (code points, all text items together) with Codex's error, on start and steer", async () => {
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'ok' }, { stall: true }]] });
    const MAX = 1_048_576;
    const tooLarge = (actual: number) => ({
      code: -32602,
      message: `Input exceeds the maximum length of ${MAX} characters.`,
      data: { input_error_code: 'input_too_large', max_chars: MAX, actual_chars: actual },
    });
    const half = 'a'.repeat(MAX / 2);
    // An emoji is one character (two UTF-16 code units), as Rust's chars() counts.
    expect(await errorOf(keel.request('turn/start', { threadId, input: [{ type: 'text', text: half }, { type: 'text', text: `${half}😀` }] }))).toEqual(tooLarge(MAX + 1));
    expect(keel.messages.filter((m) => m.method === 'turn/started')).toEqual([]);
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: half }, { type: 'text', text: `${half.slice(1)}😀` }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await errorOf(keel.request('turn/steer', { threadId, expectedTurnId: turn.id, input: [{ type: 'text', text: 'b'.repeat(MAX + 2) }] }))).toEqual(tooLarge(MAX + 2));
  });

  it('refuses a second turn and a delete while one runs, and ends a turn that exceeds the iteration cap', async () => {
    const loop = Array.from({ length: 5 }, (_, i) => [{ toolCall: { name: 'again', callId: `c${i}` } }]);
    // The first response says something before it stalls, and the test waits for that: a script's
    // response is taken when its call starts streaming, so a turn interrupted before its model call
    // began (a loaded machine) left the stall to the next turn, which then hung.
    const { keel, threadId } = await keelWithThread({ spawn: { serve: inProcess }, script: [[{ text: 'thinking' }, { stall: true }], ...loop], keel: ['max_turn_iterations = 3'] });
    const { turn } = await keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'one' }] });
    await keel.waitFor('item/agentMessage/delta');
    expect(await errorOf(keel.request('turn/start', { threadId, input: [{ type: 'text', text: 'two' }] }))).toEqual({
      code: -32600,
      message: `thread ${threadId} already has a turn in progress (${turn.id}); steer or interrupt it`,
    });
    expect(await errorOf(keel.request('thread/delete', { threadId }))).toEqual({ code: -32600, message: `thread ${threadId} has a turn in progress` });
    await keel.request('turn/interrupt', { threadId, turnId: turn.id });
    await keel.waitFor('turn/completed');
    const seq = await runTurn(keel, threadId, 'loop');
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn).toMatchObject({
      status: 'failed',
      error: { message: 'turn stopped after 3 model calls (keel.max_turn_iterations)', codexErrorInfo: 'other' },
    });
  });

  it('moves a turn to the next provider of keel.fallback when its provider fails for good, with a warning', async () => {
    const { keel, threadId } = await keelWithThread({
      spawn: { serve: inProcess },
      script: [[{ text: 'from the fallback' }]],
      config: ['model_provider = "openai"', 'model = "gpt-5"'],
      keel: ['fallback = [{ model_provider = "scripted", model = "scripted" }]'],
    });
    const seq = await runTurn(keel, threadId, 'go');
    expect(seq.filter((m) => m.method === 'warning').map(params)).toEqual([
      {
        threadId,
        message: 'openai/gpt-5 failed (OpenAI needs an API key: set the OPENAI_API_KEY environment variable); this turn continues on scripted/scripted (keel.fallback)',
      },
    ]);
    const message = seq.filter((m) => m.method === 'item/completed').map((m) => params(m).item).find((i) => i.type === 'agentMessage');
    expect(message.text).toBe('from the fallback');
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn.status).toBe('completed');
  });
});
