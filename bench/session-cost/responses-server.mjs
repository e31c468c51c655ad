// The fake OpenAI Responses endpoint of the session bench: the real SSE wire, OpenAI's cache rules
// (cache-rules.mjs) on a simulated clock, usage in the wire's own fields
// (`input_tokens_details.cached_tokens`). Plays gpt-5.1-codex: every answer starts with a reasoning
// item (its encrypted content when the request includes `reasoning.encrypted_content`), then a
// call of the shell tool the request offers, or the turn's closing text (script.mjs).
import fs from 'node:fs';
import http from 'node:http';
import { canonical, openAiCache, tokensOf } from './cache-rules.mjs';
import { CALL_MS, isMarked, nextStep } from './script.mjs';

const REASONING_TOKENS = 64;
const frame = (data) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The prompt as the cache sees it: instructions, tools, then input items, in request order. */
export function responsesSegments(body) {
  const input = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : (body.input ?? []);
  return [canonical({ instructions: body.instructions ?? null }), ...(body.tools ?? []).map(canonical), ...input.map(canonical)];
}

const textOf = (item) => (typeof item.content === 'string' ? [item.content] : (item.content ?? []).flatMap((c) => (typeof c.text === 'string' ? [c.text] : [])));

function step(body) {
  const input = Array.isArray(body.input) ? body.input : [];
  const marked = input.findLastIndex((item) => item.role === 'user' && textOf(item).some(isMarked));
  const outputs = input.slice(marked + 1).filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output').length;
  return nextStep(marked < 0 ? null : textOf(input[marked]).find(isMarked), outputs);
}

function shellCall(tools, command) {
  const names = (tools ?? []).map((t) => t.name);
  if (names.includes('exec_command')) return { name: 'exec_command', arguments: JSON.stringify({ cmd: command }) };
  if (names.includes('shell_command')) return { name: 'shell_command', arguments: JSON.stringify({ command }) };
  return { name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command] }) };
}

function answer(body, n, usage) {
  const id = `resp_${n}`;
  const next = step(body);
  const encrypted = (body.include ?? []).includes('reasoning.encrypted_content');
  const reasoning = { type: 'reasoning', id: `rs_${n}`, summary: [{ type: 'summary_text', text: next.kind === 'command' ? '**Reading the next log**' : '**Summing up**' }], ...(encrypted ? { encrypted_content: Buffer.from(`bench-reasoning-${n}-`.repeat(24)).toString('base64') } : {}) };
  const item = next.kind === 'command' ? { type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, ...shellCall(body.tools, next.command), status: 'completed' } : { type: 'message', id: `msg_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: next.text, annotations: [] }] };
  const output = tokensOf(canonical(item)) + REASONING_TOKENS;
  const frames = [
    frame({ type: 'response.created', response: { id, status: 'in_progress', output: [] } }),
    frame({ type: 'response.output_item.added', output_index: 0, item: { ...reasoning, summary: [] } }),
    frame({ type: 'response.reasoning_summary_part.added', item_id: reasoning.id, output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } }),
    frame({ type: 'response.reasoning_summary_text.delta', item_id: reasoning.id, output_index: 0, summary_index: 0, delta: reasoning.summary[0].text }),
    frame({ type: 'response.reasoning_summary_text.done', item_id: reasoning.id, output_index: 0, summary_index: 0, text: reasoning.summary[0].text }),
    frame({ type: 'response.reasoning_summary_part.done', item_id: reasoning.id, output_index: 0, summary_index: 0, part: reasoning.summary[0] }),
    frame({ type: 'response.output_item.done', output_index: 0, item: reasoning }),
  ];
  if (item.type === 'function_call') {
    frames.push(frame({ type: 'response.output_item.added', output_index: 1, item: { ...item, arguments: '', status: 'in_progress' } }));
    frames.push(frame({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: 1, delta: item.arguments }));
    frames.push(frame({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: 1, arguments: item.arguments }));
  } else {
    frames.push(frame({ type: 'response.output_item.added', output_index: 1, item: { ...item, status: 'in_progress', content: [] } }));
    frames.push(frame({ type: 'response.output_text.delta', item_id: item.id, output_index: 1, content_index: 0, delta: next.text }));
  }
  frames.push(frame({ type: 'response.output_item.done', output_index: 1, item }));
  const wire = { input_tokens: usage.inputTokens, input_tokens_details: { cached_tokens: usage.cachedTokens }, output_tokens: output, output_tokens_details: { reasoning_tokens: REASONING_TOKENS }, total_tokens: usage.inputTokens + output };
  frames.push(frame({ type: 'response.completed', response: { id, status: 'completed', output: [reasoning, item], usage: wire } }));
  return { frames, output };
}

/** Starts the endpoint; `calls` is its ledger (one entry per model call, in order). */
export function startResponsesServer() {
  const clock = { ms: 0 };
  const cache = openAiCache(() => clock.ms);
  const calls = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url.endsWith('/responses')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        // DUMP_BODIES=DIR: every request body to a file, to see where a prefix broke.
        if (process.env.DUMP_BODIES) fs.writeFileSync(`${process.env.DUMP_BODIES}/r-${Date.now()}-${Math.random().toString(36).slice(2, 6)}.json`, JSON.stringify(body));
        clock.ms += CALL_MS;
        const usage = cache.request(responsesSegments(body), body.prompt_cache_key ?? null);
        const { frames, output } = answer(body, calls.length + 1, usage);
        calls.push({ prompt: usage.inputTokens, cached: usage.cachedTokens, write5m: 0, write1h: 0, output, cacheKey: body.prompt_cache_key ?? null, machine: usage.machine });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(frames.join(''));
      }
      if (req.method === 'GET' && req.url.includes('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-5.1-codex', object: 'model', created: 0, owned_by: 'bench' }], models: [] }));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `not found: ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/v1`, calls, advance: (ms) => (clock.ms += ms), close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}
