// Questions Keel puts to a thread's clients while a turn runs, and waits on. The question goes to
// the connection that started the turn; when that one is not (or no longer) listening, to every
// subscriber that can answer — and to each that starts listening while it waits, so a question
// survives its client reconnecting (server → client request). The first answer settles it, or the
// timeout does, or the turn's end (its signal). A recorded question (approvals, the user's
// answers) is an event before it is sent and another once settled — the audit trail, and the
// thread's `waitingOn…` flags — and each connection asked is told the question is settled (a
// `questionSettled` signal with its own request id), before the status change. Client tool calls
// are asked unrecorded, as Codex does. Questions and answers are the engine's own (questions.ts):
// each session renders and parses them in its protocol.
import { stampEvent, type RequestKind, type RequestSettler } from '../core/events.js';
import type { AnswerOf, AskedQuestion, QuestionKind, QuestionOf } from './questions.js';
import type { Subscriber } from './subscriber.js';
import type { ThreadRuntime } from './thread-runtime.js';
import { realClock, type Clock } from '../kernel/clock.js';

/** `noClient` is no longer decided (a question waits for a client to come back); kept so older audit trails read. */
export type Unanswered = 'timeout' | 'turnEnded' | 'noClient';

export type Outcome<A> = { answered: A } | { unanswered: Unanswered };

/** How a question is kept in the thread's audit trail. */
export interface AuditRecord<A> {
  kind: RequestKind;
  itemId: string;
  subject: string | null;
  reason: string | null;
  /** How an answer is written in the audit trail (e.g. `accept`). */
  describe(answer: A): string;
  /** What an unanswered question is recorded as (e.g. `decline`). */
  fallback: string;
}

export interface AskContext {
  runtime: ThreadRuntime;
  turnId: string;
  /** The turn's signal: when it aborts, the question is settled as `turnEnded`. */
  signal: AbortSignal;
  timeoutMs: number;
  now(): number;
  /** The clock the timeout runs on; absent: the real one. */
  clock?: Clock;
}

/** Who is asked now: the turn's owner while it listens, else everyone listening who can answer. */
function targets(runtime: ThreadRuntime): Subscriber[] {
  const owner = runtime.turnOwner;
  if (owner !== null && owner.ask && runtime.subscribers.has(owner)) return [owner];
  return [...runtime.subscribers].filter((subscriber) => subscriber.ask !== undefined);
}

/** The answer, or why there is none; a malformed or error answer is the client saying no (its session decides how). */
export async function askClients<K extends QuestionKind>(ctx: AskContext, question: QuestionOf<K>): Promise<{ outcome: Outcome<AnswerOf<K>>; asked: Array<[Subscriber, AskedQuestion<K>]> }> {
  const asked = new Map<Subscriber, AskedQuestion<K>>();
  if (ctx.signal.aborted) return { outcome: { unanswered: 'turnEnded' }, asked: [] };
  let settle!: (outcome: Outcome<AnswerOf<K>>) => void;
  const settled = new Promise<Outcome<AnswerOf<K>>>((resolve) => (settle = resolve));
  const askNew = () => {
    for (const subscriber of targets(ctx.runtime)) {
      if (asked.has(subscriber)) continue;
      const sent = subscriber.ask!<K>(question);
      asked.set(subscriber, sent);
      void sent.answer.then((answer) => settle({ answered: answer }));
    }
  };
  const clock = ctx.clock ?? realClock;
  const timer = clock.setTimeout(() => settle({ unanswered: 'timeout' }), ctx.timeoutMs);
  const onAbort = () => settle({ unanswered: 'turnEnded' });
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const stopListening = ctx.runtime.onSubscribersChanged(askNew);
  try {
    askNew();
    return { outcome: await settled, asked: [...asked] };
  } finally {
    clock.clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    stopListening();
  }
}

let nextKey = 0;

/** Asks and keeps the audit trail: `request/opened`, the question, `questionSettled` to each asked, `request/resolved`. */
export async function askRecorded<K extends QuestionKind>(ctx: AskContext, question: QuestionOf<K>, record: AuditRecord<AnswerOf<K>>): Promise<Outcome<AnswerOf<K>>> {
  const { runtime, turnId } = ctx;
  const threadId = runtime.state.id;
  const requestKey = `${record.itemId}#${++nextKey}`;
  const base = { turnId, itemId: record.itemId, requestKey, kind: record.kind };
  runtime.apply([stampEvent(threadId, ctx.now(), { type: 'request/opened', ...base, subject: record.subject, reason: record.reason })]);
  let result: Awaited<ReturnType<typeof askClients<K>>>;
  try {
    result = await askClients(ctx, question);
  } catch (error) {
    result = { outcome: { unanswered: 'noClient' }, asked: [] };
    settle(ctx, base, record, result.outcome);
    throw error;
  }
  for (const [subscriber, sent] of result.asked) runtime.signalAll({ type: 'questionSettled', threadId, requestId: sent.id }, ctx.now(), [subscriber]);
  settle(ctx, base, record, result.outcome);
  return result.outcome;
}

function settle<A>(ctx: AskContext, base: { turnId: string; itemId: string; requestKey: string; kind: RequestKind }, record: AuditRecord<A>, outcome: Outcome<A>): void {
  const decision = 'answered' in outcome ? record.describe(outcome.answered) : record.fallback;
  const by: RequestSettler = 'answered' in outcome ? 'client' : outcome.unanswered;
  ctx.runtime.apply([stampEvent(ctx.runtime.state.id, ctx.now(), { type: 'request/resolved', ...base, decision, by, subject: record.subject })]);
}

/** A remembered decision applied without asking, kept in the audit trail all the same. */
export function recordRemembered(ctx: Omit<AskContext, 'signal' | 'timeoutMs'>, entry: { kind: RequestKind; itemId: string; subject: string | null; decision: string; by: 'session' | 'rule' }): void {
  const { runtime } = ctx;
  const event = { type: 'request/resolved' as const, turnId: ctx.turnId, itemId: entry.itemId, requestKey: `${entry.itemId}#${++nextKey}`, kind: entry.kind, decision: entry.decision, by: entry.by, subject: entry.subject };
  runtime.apply([stampEvent(runtime.state.id, ctx.now(), event)]);
}
