// Who is asked a question (client-requests.ts): the connection that started the turn while it
// listens; when it goes away, everyone else listening; anyone who starts listening while the
// question waits is asked too — so a question survives its client reconnecting. A connection that
// went away never answers (its request never settles); the first real answer wins.
import { describe, expect, it } from 'vitest';
import { askClients } from '../../src/engine/client-requests.js';
import type { AnswerOf, AskedQuestion, QuestionKind, QuestionOf } from '../../src/engine/questions.js';
import type { Subscriber } from '../../src/engine/subscriber.js';
import { ThreadRuntime } from '../../src/engine/thread-runtime.js';
import { created } from '../core/fixtures.js';
import { manualClock } from '../helpers/manual-clock.js';

/** A connection that records what it is asked and answers when told to. */
class Client implements Subscriber {
  readonly asked: Array<{ kind: QuestionKind; answer: (value: unknown) => void }> = [];
  private nextId = 0;
  receive(): void {}
  signal(): void {}
  ask<K extends QuestionKind>(question: QuestionOf<K>): AskedQuestion<K> {
    let answer!: (value: unknown) => void;
    const promise = new Promise<AnswerOf<K>>((resolve) => (answer = resolve as (value: unknown) => void));
    this.asked.push({ kind: question.kind, answer });
    return { id: this.nextId++, answer: promise };
  }
}

function thread(): ThreadRuntime {
  const runtime = new ThreadRuntime(undefined, null);
  runtime.apply([created()]);
  return runtime;
}

const question: QuestionOf<'commandApproval'> = { kind: 'commandApproval', threadId: 't1', turnId: 'u1', itemId: 'i1', startedAtMs: 0, reason: null, command: 'ls', cwd: '/w', actions: [], proposedRule: null, offered: ['accept', 'acceptForSession', 'cancel'] };
const context = (runtime: ThreadRuntime, timeoutMs = 5_000) => ({ runtime, turnId: 'u1', signal: new AbortController().signal, timeoutMs, now: Date.now });

describe('who is asked', () => {
  it("asks only the turn's owner while it listens; the others when it leaves; its answer never comes", async () => {
    const runtime = thread();
    const [owner, other, third] = [new Client(), new Client(), new Client()];
    for (const c of [owner, other, third]) runtime.subscribe(c);
    runtime.turnOwner = owner;
    const pending = askClients(context(runtime), question);
    expect([owner.asked.length, other.asked.length, third.asked.length]).toEqual([1, 0, 0]);
    runtime.subscribers.delete(owner);
    runtime.subscribersChanged();
    expect([owner.asked.length, other.asked.length, third.asked.length]).toEqual([1, 1, 1]);
    third.asked[0]!.answer('accept');
    const { outcome, asked } = await pending;
    expect(outcome).toEqual({ answered: 'accept' });
    expect(asked.map(([subscriber, sent]) => [subscriber, sent.id])).toEqual([[owner, 0], [other, 0], [third, 0]]);
  });

  it('waits while nobody can answer and asks whoever comes back', async () => {
    const runtime = thread();
    const gone = new Client();
    runtime.turnOwner = gone; // started the turn, then went away
    const pending = askClients(context(runtime), question);
    const back = new Client();
    runtime.subscribe(back);
    expect(back.asked.map((a) => a.kind)).toEqual(['commandApproval']);
    back.asked[0]!.answer('decline');
    expect((await pending).outcome).toEqual({ answered: 'decline' });
  });

  it('still times out when nobody comes back: at the timeout (keel.approval_timeout_ms, 10 minutes by default), not a moment before', async () => {
    const runtime = thread();
    // Virtual time: the ten minutes pass when the clock is moved, and nothing races the machine.
    const clock = manualClock();
    const settled: unknown[] = [];
    const pending = askClients({ ...context(runtime, 600_000), clock }, question).then(({ outcome }) => settled.push(outcome));
    clock.advance(599_999);
    // A macrotask turn lets every promise the timer could have settled run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([]);
    clock.advance(1);
    await pending;
    expect({ settled, timersLeft: clock.pending() }).toEqual({ settled: [{ unanswered: 'timeout' }], timersLeft: 0 });
  });
});
