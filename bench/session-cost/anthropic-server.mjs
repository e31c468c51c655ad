// The fake Anthropic Messages endpoint of the session bench: the real SSE wire, Anthropic's cache
// rules (cache-rules.mjs) on a simulated clock, usage in the wire's own fields
// (`cache_read_input_tokens`, `cache_creation_input_tokens`, `cache_creation`). Plays Claude Sonnet
// 4.5: a signed thinking block first when the request turns thinking on, then a call of Claude's
// `bash` tool or the turn's closing text (script.mjs).
import fs from 'node:fs';
import http from 'node:http';
import { anthropicBlocks, anthropicCache, canonical, tokensOf, TooManyBreakpoints } from './cache-rules.mjs';
import { CALL_MS, isMarked, nextStep } from './script.mjs';

const THINKING_TOKENS = 64;
const frame = (data) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

const textsOf = (message) => (typeof message.content === 'string' ? [message.content] : message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])));

function step(body) {
  const messages = body.messages ?? [];
  const marked = messages.findLastIndex((m) => m.role === 'user' && textsOf(m).some(isMarked));
  // Tool results after the marked text: in the marked message itself (after its text) and in later ones.
  let outputs = 0;
  for (const message of messages.slice(Math.max(0, marked))) {
    if (typeof message.content === 'string' || message.role !== 'user') continue;
    const start = message === messages[marked] ? message.content.findLastIndex((b) => b.type === 'text' && isMarked(b.text)) + 1 : 0;
    outputs += message.content.slice(start).filter((b) => b.type === 'tool_result').length;
  }
  return nextStep(marked < 0 ? null : textsOf(messages[marked]).findLast(isMarked), outputs);
}

function answer(body, n, usage) {
  const next = step(body);
  const thinking = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
  const blocks = [];
  if (thinking) blocks.push({ type: 'thinking', thinking: next.kind === 'command' ? 'Read the next log.' : 'Sum up.', signature: Buffer.from(`bench-signature-${n}-`.repeat(8)).toString('base64') });
  if (next.kind === 'command') blocks.push({ type: 'tool_use', id: `toolu_${String(n).padStart(4, '0')}`, name: 'bash', input: { command: next.command } });
  else blocks.push({ type: 'text', text: next.text });
  const output = tokensOf(canonical(blocks.filter((b) => b.type !== 'thinking'))) + (thinking ? THINKING_TOKENS : 0);
  const start = { input_tokens: usage.inputTokens, cache_read_input_tokens: usage.cacheReadTokens, cache_creation_input_tokens: usage.cacheCreationTokens, cache_creation: { ephemeral_5m_input_tokens: usage.cacheCreation['5m'], ephemeral_1h_input_tokens: usage.cacheCreation['1h'] }, output_tokens: 1 };
  const frames = [frame({ type: 'message_start', message: { id: `msg_${n}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: start } })];
  blocks.forEach((block, index) => {
    if (block.type === 'thinking') {
      frames.push(frame({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      frames.push(frame({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } }));
      frames.push(frame({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } }));
    } else if (block.type === 'tool_use') {
      frames.push(frame({ type: 'content_block_start', index, content_block: { ...block, input: {} } }));
      frames.push(frame({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }));
    } else {
      frames.push(frame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      frames.push(frame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } }));
    }
    frames.push(frame({ type: 'content_block_stop', index }));
  });
  frames.push(frame({ type: 'message_delta', delta: { stop_reason: next.kind === 'command' ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: output } }));
  frames.push(frame({ type: 'message_stop' }));
  return { frames, output };
}

/** Starts the endpoint (base URL without /v1, as the SDK takes it); `calls` is its ledger. */
export function startAnthropicServer() {
  const clock = { ms: 0 };
  const cache = anthropicCache(() => clock.ms);
  const calls = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const json = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'POST' && req.url.startsWith('/v1/messages')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        // DUMP_BODIES=DIR: every request body to a file, to see where a prefix broke.
        if (process.env.DUMP_BODIES) fs.writeFileSync(`${process.env.DUMP_BODIES}/a-${calls.length + 1}.json`, JSON.stringify(body, null, 1));
        clock.ms += CALL_MS;
        let usage;
        try {
          usage = cache.request(anthropicBlocks(body));
        } catch (error) {
          if (error instanceof TooManyBreakpoints) return json(400, { type: 'error', error: { type: 'invalid_request_error', message: error.message } });
          throw error;
        }
        const { frames, output } = answer(body, calls.length + 1, usage);
        const breakpoints = anthropicBlocks(body).filter((b) => b.breakpoint).length;
        calls.push({ prompt: usage.promptTokens, cached: usage.cacheReadTokens, write5m: usage.cacheCreation['5m'], write1h: usage.cacheCreation['1h'], output, breakpoints });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(frames.join(''));
      }
      if (req.method === 'GET' && req.url.startsWith('/v1/models')) return json(200, { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: null, last_id: null });
      json(404, { type: 'error', error: { type: 'not_found_error', message: `not found: ${req.method} ${req.url}` } });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, calls, advance: (ms) => (clock.ms += ms), close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}
