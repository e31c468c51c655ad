// A minimal terminal UI: each line on stdin is a prompt (or, while Keel asks, the answer y/n).
// Every notification is folded by the library with Keel's own reducer, and the screen is redrawn
// from that folded thread, never patched from the stream, so what it shows is what thread/read
// would return. Plain ANSI, no dependencies. Build first (npm run build); then:
//   node clients/examples/tui.mjs        (offline it talks to the scripted provider)
import readline from 'node:readline';
import { KeelClient } from '../typescript/dist/index.js';

const ansi = { clear: '\x1b[2J\x1b[H', dim: (s) => `\x1b[2m${s}\x1b[22m`, bold: (s) => `\x1b[1m${s}\x1b[22m`, color: (n, s) => `\x1b[${n}m${s}\x1b[39m` };
const statusColor = { completed: 32, failed: 31, declined: 33, inProgress: 36 };

const keel = KeelClient.spawn();
await keel.open({ name: 'keel-tui', version: '0.1.0' });
// untrusted: Keel asks before any command that may change something; writes stay under cwd.
const { thread } = await keel.request('thread/start', { cwd: process.cwd(), approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
let question = null; // the approval waiting for a y/n line: { text, answer }
let turnRunning = null;

function itemLines(item) {
  const status = item.status ? ansi.color(statusColor[item.status] ?? 39, ` [${item.status}]`) : '';
  switch (item.type) {
    case 'userMessage':
      return [ansi.bold('> ' + item.content.map((part) => part.text ?? '').join(''))];
    case 'agentMessage':
      return [item.text];
    case 'reasoning':
      return item.summary.length ? [ansi.dim(item.summary.join('\n'))] : [];
    case 'commandExecution':
      return [`$ ${item.command}${status}${item.exitCode == null ? '' : ` exit ${item.exitCode}`}`, ...(item.aggregatedOutput ? [ansi.dim(item.aggregatedOutput.trimEnd())] : [])];
    case 'fileChange':
      return item.changes.map((change) => `~ ${change.kind.type} ${change.path}${status}`);
    default:
      return [ansi.dim(`(${item.type})`)];
  }
}

function render() {
  const view = keel.wireThread(thread.id);
  const turn = view.turns.at(-1);
  const lines = [ansi.dim(`thread ${view.id} · ${view.model} · ${view.status.type}`), ''];
  for (const item of turn?.items ?? []) lines.push(...itemLines(item));
  if (turn) lines.push('', ansi.dim(`turn ${turn.status}`));
  lines.push(question ? ansi.color(33, `${question.text} [y/N] `) : turnRunning ? '' : 'prompt> ');
  process.stdout.write(ansi.clear + lines.join('\n'));
}

keel.onNotification(render);
keel.onRequest('item/commandExecution/requestApproval', (params) => ask(`run ${params.command}?`, 'accept'));
keel.onRequest('item/fileChange/requestApproval', (params) => ask(`apply the file changes${params.reason ? ` (${params.reason})` : ''}?`, 'accept'));

function ask(text, yes) {
  return new Promise((resolve) => {
    question = { text, answer: (line) => resolve({ decision: /^y/i.test(line) ? yes : 'decline' }) };
    render();
  });
}

async function runTurn(text) {
  const done = keel.next('turn/completed', (n) => n.params.threadId === thread.id);
  await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text }] });
  await done;
}

render();
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (question) {
    const { answer } = question;
    question = null;
    answer(line);
  } else if (!turnRunning && line.trim()) {
    turnRunning = runTurn(line).finally(() => ((turnRunning = null), render()));
  }
}
await turnRunning; // stdin ended: let the last turn finish
process.stdout.write('\n');
await keel.close();
