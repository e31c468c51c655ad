// Huge input, read linearly: unparseable JSONL lines of 10, 50 and 100 MB (the last one over the
// maximum line size), a 50 MB thread name, and a model answer carrying a single 50 MB SSE event.
// Each time is wall clock from the first byte written to the answer of the request that follows
// (or to turn/completed), with the server's CPU time; printed, never asserted.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, startKeel } from './lib/keel-session.mjs';

const MB = 1_000_000;

/** Times `write()` plus one small request after it; resolves with the answers the write caused. */
async function timed(keel, write) {
  const seen = [];
  const cpu0 = cpuSeconds(keel.child.pid);
  const t0 = performance.now();
  const unrelated = (message) => seen.push(message);
  keel.onOther(unrelated);
  await write();
  const answer = await keel.request('thread/loaded/list', {});
  const ms = performance.now() - t0;
  if (answer.error) throw new Error(`the request after the big input failed: ${JSON.stringify(answer.error)}`);
  return { ms, cpu: cpuSeconds(keel.child.pid) - cpu0, seen };
}

const describeError = (message) => (message?.error ? `${message.error.code} ${message.error.message.slice(0, 90)}` : JSON.stringify(message)?.slice(0, 90));

const keel = startKeel();
await keel.openThread();
console.log('huge JSONL input (stdio), first byte written → answer of the next request');
for (const size of [10, 50, 100]) {
  const line = `${'x'.repeat(size * MB)}\n`;
  const { ms, cpu, seen } = await timed(keel, () => keel.write(line));
  console.log(`  unparseable ${size} MB line: ${ms.toFixed(0)} ms, server CPU ${cpu.toFixed(2)} s; answered: ${describeError(seen[0])}`);
}
{
  const threadId = await keel.request('thread/start', {}).then((m) => m.result.thread.id);
  const name = 'n'.repeat(50 * MB);
  const { ms, cpu } = await timed(keel, () => keel.request('thread/name/set', { threadId, name }).then((answer) => {
    console.log(`  thread/name/set with a 50 MB name answered: ${describeError(answer.error ? answer : { error: { code: 'ok', message: '' } })}`);
  }));
  console.log(`  50 MB thread name: ${ms.toFixed(0)} ms, server CPU ${cpu.toFixed(2)} s`);
}
await keel.close();

// ---- SSE ----

const frame = (data) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const completed = frame({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [], usage: { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 } } });

function startModelServer(body) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // 64 KiB writes, as a network would deliver a big event: many reads, one event.
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i += 65_536) res.write(bytes.subarray(i, i + 65_536));
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/v1` })));
}

console.log('one 50 MB SSE event (Responses wire, loopback server), turn/start → turn/completed');
const cases = [
  // An event the adapter ignores: the SSE reader and one JSON.parse, nothing downstream.
  ['an ignored event', frame({ type: 'response.in_progress', response: { id: 'resp_1', status: 'in_progress', output: [], padding: 'p'.repeat(50 * MB) } })],
  ['a text delta', frame({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'd'.repeat(50 * MB) })],
];
for (const [label, event] of cases) {
  const model = await startModelServer(event + completed);
  const k = startKeel(() => ({ OPENAI_API_KEY: 'bench-key', OPENAI_BASE_URL: model.url }));
  const threadId = await k.openThread({ model: 'gpt-4.1' });
  const cpu0 = cpuSeconds(k.child.pid);
  const t0 = performance.now();
  const done = await k.turn(threadId);
  const ms = performance.now() - t0;
  console.log(`  ${label}: ${ms.toFixed(0)} ms, server CPU ${(cpuSeconds(k.child.pid) - cpu0).toFixed(2)} s; turn ${done.params.turn.status}`);
  await k.close();
  model.server.close();
}
