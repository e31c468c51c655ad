// `keel exec PROMPT`: one turn in the current directory, through a Keel app-server this process
// starts and drives as a client (the same protocol an IDE speaks). The agent's text streams to
// stdout, one line per tool item to stderr (or every notification as JSONL with --json); approvals
// are asked on the terminal, or settled by --yes / declined when there is none. Exit 0 when the
// turn completed, 1 when it failed, 130 when it was interrupted (Ctrl-C interrupts it cleanly).
import fs from 'node:fs';
import type { KeelClient, Notification } from '../../../clients/typescript/keel-client.js';
import type { ExecOptions } from '../client-command-line.js';
import { terminalAsker, unattendedAsker, type Asker } from './ask.js';
import { commandText, shownPath } from './render.js';
import { failureText, startServer } from './server-process.js';
import { Terminal } from './terminal.js';

export const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readSchema(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`--output-schema ${file}: ${failureText(error)}`);
  }
}

export async function runExec(options: ExecOptions): Promise<number> {
  const term = new Terminal(options.json);
  let prompt: string;
  let outputSchema: unknown = null;
  try {
    prompt = options.prompt === '-' ? await readStdin() : options.prompt;
    if (prompt.trim() === '') throw new Error('the prompt is empty');
    if (options.outputSchema) outputSchema = readSchema(options.outputSchema);
  } catch (error) {
    term.error(`keel exec: ${failureText(error)}`);
    return EXIT_USAGE;
  }
  const interactive = !options.json && options.prompt !== '-' && process.stdin.isTTY === true && process.stderr.isTTY === true;
  const asker = interactive ? terminalAsker() : unattendedAsker(options.yes, (line) => term.info(line));
  const client = await startServer(options.config);
  const started = new Map<string, Notification & { method: 'item/started' }>();
  client.handleServerRequests((method, params) => answer(method, params as Record<string, any>, asker, started, term));
  client.onNotification((n) => {
    if (n.method === 'item/started') started.set(n.params.item.id, n);
    term.notification(n);
  });
  const interrupts = interruptOnCtrlC(client, term);
  try {
    const threadId = await openThread(client, options);
    const done = client.next('turn/completed', (n) => n.params.threadId === threadId);
    const { turn } = await client.request('turn/start', { threadId, input: [{ type: 'text', text: prompt, text_elements: [] }], outputSchema } as never);
    interrupts.turnStarted(threadId, turn.id);
    const completed = (await done).params.turn;
    interrupts.stop();
    term.finish();
    if (!options.json) term.info(`thread ${threadId} (keel exec --resume ${threadId} "…" continues it)`);
    await client.close();
    if (completed.status === 'completed') return 0;
    if (completed.status === 'interrupted') {
      term.error('keel exec: the turn was interrupted');
      return EXIT_INTERRUPTED;
    }
    term.error(`keel exec: the turn failed: ${completed.error?.message ?? 'no reason given'}`);
    return EXIT_FAILED;
  } catch (error) {
    interrupts.stop();
    term.finish();
    term.error(`keel exec: ${failureText(error)}`);
    await client.close();
    return EXIT_FAILED;
  }
}

async function openThread(client: KeelClient, options: ExecOptions): Promise<string> {
  const settings = {
    ...(options.approval && { approvalPolicy: options.approval }),
    ...(options.sandbox && { sandbox: options.sandbox }),
    ...(options.model && { model: options.model }),
    ...(options.provider && { modelProvider: options.provider }),
  };
  if (options.resume !== null) return (await client.request('thread/resume', { threadId: options.resume, ...settings } as never)).thread.id;
  return (await client.request('thread/start', { cwd: process.cwd(), ...settings } as never)).thread.id;
}

/**
 * First Ctrl-C: turn/interrupt (the turn ends `interrupted`); a second one gives up at once. It
 * listens from before the thread is opened: the turn's output can reach the terminal before
 * turn/start's answer is read, and a Ctrl-C then, with no listener, would kill keel exec without
 * ending the turn. A Ctrl-C before the turn has an id interrupts it once it has one.
 */
function interruptOnCtrlC(client: KeelClient, term: Terminal): { turnStarted(threadId: string, turnId: string): void; stop(): void } {
  let pressed = 0;
  let turn: { threadId: string; turnId: string } | null = null;
  const interrupt = () => {
    if (turn !== null) client.request('turn/interrupt', turn).catch(() => undefined);
  };
  const onSigint = () => {
    pressed++;
    if (pressed === 1) {
      term.info('interrupting the turn… (Ctrl-C again to quit at once)');
      interrupt();
    } else process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  return {
    turnStarted: (threadId, turnId) => {
      turn = { threadId, turnId };
      if (pressed > 0) interrupt();
    },
    stop: () => process.off('SIGINT', onSigint),
  };
}

async function answer(method: string, params: Record<string, any>, asker: Asker, started: Map<string, Notification & { method: 'item/started' }>, term: Terminal): Promise<unknown> {
  term.pause();
  try {
    if (method === 'item/commandExecution/requestApproval') {
      const why = params.reason ? ` (${params.reason})` : '';
      return { decision: await asker.ask(`? Keel wants to run: $ ${commandText(params.command ?? '')}${why}`) };
    }
    if (method === 'item/fileChange/requestApproval') {
      const item = started.get(params.itemId)?.params.item;
      const files = item?.type === 'fileChange' ? item.changes.map((change) => shownPath(change.path)).join(', ') : params.itemId;
      const why = params.reason ? ` (${params.reason})` : '';
      return { decision: await asker.ask(`? Keel wants to change: ${files}${why}`) };
    }
    if (method === 'mcpServer/elicitation/request') {
      const decision = await asker.ask(`? ${params.message}`);
      return { action: decision === 'accept' || decision === 'acceptForSession' ? 'accept' : decision === 'cancel' ? 'cancel' : 'decline', content: null, _meta: null };
    }
    if (method === 'item/tool/requestUserInput') {
      term.info(`? the model asks: ${(params.questions as Array<{ question: string }>).map((q) => q.question).join(' / ')} — keel exec cannot answer questions; it goes on without`);
      return { answers: {} };
    }
    throw Object.assign(new Error(`keel exec does not handle ${method}`), { code: -32601 });
  } finally {
    term.resume();
  }
}

