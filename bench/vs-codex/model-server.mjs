// The fake model both servers talk to: the Responses API on 127.0.0.1, speaking its SSE. What it
// answers depends on the last user message, so one server serves every benchmark:
//   "hello"        → two text deltas
//   "stream N"     → N text deltas
//   "tool"         → a call of the shell tool the request offers, running `true`; once the call's
//                    output comes back (a function_call_output in the input), a short message
// Deltas go out in chunks of 50 events per write, as a network delivers them.
import http from 'node:http';

const frame = (data) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const usage = (n) => ({ input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: n, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 10 + n });
let nextId = 0;

function textResponse(deltas) {
  const id = `resp_${++nextId}`;
  const msg = `msg_${nextId}`;
  const out = [frame({ type: 'response.created', response: { id, status: 'in_progress', output: [] } })];
  out.push(frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: msg, role: 'assistant', status: 'in_progress', content: [] } }));
  for (const delta of deltas) out.push(frame({ type: 'response.output_text.delta', item_id: msg, output_index: 0, content_index: 0, delta }));
  const text = deltas.join('');
  out.push(frame({ type: 'response.output_item.done', output_index: 0, item: { type: 'message', id: msg, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] } }));
  out.push(frame({ type: 'response.completed', response: { id, status: 'completed', output: [], usage: usage(deltas.length) } }));
  return out;
}

function toolCallResponse(name, args) {
  const id = `resp_${++nextId}`;
  const item = { type: 'function_call', id: `fc_${nextId}`, call_id: `call_${nextId}`, name, arguments: JSON.stringify(args), status: 'completed' };
  return [
    frame({ type: 'response.created', response: { id, status: 'in_progress', output: [] } }),
    frame({ type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }),
    frame({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: 0, delta: item.arguments }),
    frame({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: 0, arguments: item.arguments }),
    frame({ type: 'response.output_item.done', output_index: 0, item }),
    frame({ type: 'response.completed', response: { id, status: 'completed', output: [], usage: usage(1) } }),
  ];
}

/** The text of the last user message in a Responses request's input. */
function lastUserText(input) {
  const items = Array.isArray(input) ? input : [{ role: 'user', content: input }];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    const part = [...(item.content ?? [])].reverse().find((c) => typeof c.text === 'string');
    if (part) return part.text;
  }
  return '';
}

const DELTA_TEXTS = Array.from({ length: 10 }, (_, i) => `t${i} `);

/** What to answer a request with. */
function answer(body) {
  const input = Array.isArray(body.input) ? body.input : [];
  const last = input[input.length - 1];
  if (last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output') return textResponse(['ok']);
  const text = lastUserText(body.input).trim();
  if (text === 'tool') {
    const names = (body.tools ?? []).map((t) => t.name);
    if (names.includes('exec_command')) return toolCallResponse('exec_command', { cmd: 'true' });
    if (names.includes('shell_command')) return toolCallResponse('shell_command', { command: 'true' });
    return toolCallResponse('shell', { command: ['true'] });
  }
  const stream = /^stream (\d+)$/.exec(text);
  if (stream) return textResponse(Array.from({ length: Number(stream[1]) }, (_, i) => DELTA_TEXTS[i % 10]));
  return textResponse(['Hel', 'lo!']);
}

export function startModelServer() {
  const stats = { requests: 0, byPath: {} };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const key = `${req.method} ${req.url}`;
      stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
      if (req.method === 'POST' && req.url.endsWith('/responses')) {
        let body = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {}
        const frames = answer(body);
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0; i < frames.length; i += 50) res.write(frames.slice(i, i + 50).join(''));
        return res.end();
      }
      if (req.method === 'GET' && req.url.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'mock-model', object: 'model', created: 0, owned_by: 'bench' }], models: [] }));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, stats, url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => server.close(r)) })));
}
