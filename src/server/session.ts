// A connection's Codex session: the initialize gate, the experimental-API opt-in and notification
// opt-outs, and the Codex wire at the engine's edge — it encodes the events and signals of the
// threads it hears (codex-events.ts, codex-signals.ts) and renders the engine's questions as
// server requests, reading the replies back into the engine's answers (codex-questions.ts).
// Resource handlers never look at the gate; dispatch and `notify` do. Which threads a connection
// hears is the threads' business (ThreadRuntime.subscribers, via ThreadCommands).
import type { z } from 'zod';
import type { KeelEvent } from '../core/events.js';
import type { ThreadState } from '../core/state.js';
import type { AskedQuestion, QuestionKind, QuestionOf } from '../engine/questions.js';
import type { Signal } from '../engine/signals.js';
import type { Subscriber } from '../engine/subscriber.js';
import type { InitializeParams } from '../protocol/schemas/initialize.js';
import { codexNotifications } from './codex-events.js';
import { codexRequest } from './codex-questions.js';
import { codexSignal } from './codex-signals.js';
import { ConnectionGone } from '../transport/rpc-connection.js';

/**
 * A server request on its way: the id it went out with, and the client's reply (rejects on an
 * error reply; never settles when the client went away before answering — someone else may).
 */
export interface SentRequest {
  id: number | string;
  answer: Promise<unknown>;
}

export interface Outbound {
  /** `emittedAtMs`: the time of the event the notification reports; `seq`: its place in the thread's log. */
  sendNotification(method: string, params: unknown, emittedAtMs: number, seq?: number): void;
  sendRequest(method: string, params: unknown): SentRequest;
  /** Null while the client reads what is sent; else resolves once it has caught up. */
  whenWritable(): Promise<void> | null;
}

export class Session implements Subscriber {
  initialized = false;
  acknowledged = false;
  experimentalApi = false;
  clientName = '';
  private optOut = new Set<string>();

  constructor(private readonly outbound: Outbound) {}

  open(params: z.output<typeof InitializeParams>): void {
    this.initialized = true;
    this.clientName = params.clientInfo.name;
    this.experimentalApi = params.capabilities?.experimentalApi === true;
    this.optOut = new Set(params.capabilities?.optOutNotificationMethods ?? []);
  }

  wants(method: string): boolean {
    return this.initialized && !this.optOut.has(method);
  }

  notify(method: string, params: unknown, emittedAtMs = Date.now(), seq?: number): void {
    if (this.wants(method)) this.outbound.sendNotification(method, params, emittedAtMs, seq);
  }

  /** Per event and subscriber: the encoding is shared (codex-events.ts), so this stays a lookup and a loop. */
  receive(event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined, seq?: number): void {
    for (const n of codexNotifications(event, before, after)) this.notify(n.method, n.params, event.at, seq);
  }

  signal(signal: Signal, at = Date.now(), seq?: number): void {
    const n = codexSignal(signal);
    this.notify(n.method, n.params, at, seq);
  }

  /** An error reply reads as the client saying no (codex-replies.ts): the answer never rejects. */
  ask<K extends QuestionKind>(question: QuestionOf<K>): AskedQuestion<K> {
    const { method, params } = codexRequest(question);
    const sent = this.request(method, params);
    // The reply schemas load with the first reply, off the start-up path (codex-replies.ts).
    const answer = (raw: unknown) => import('./codex-replies.js').then(({ codexAnswer }) => codexAnswer(question, raw));
    return { id: sent.id, answer: sent.answer.then(answer, (error: unknown) => answer({ error })) };
  }

  /**
   * A server request of another Keel process (a thread's owner) that this client's forwarded
   * request led to (peers/peer-link.ts): asked in this connection's id space, the client's reply
   * as it is — an error reply rejects with it, and ConnectionGone once the client has gone.
   */
  relay(method: string, params: unknown): SentRequest {
    return this.outbound.sendRequest(method, params);
  }

  ready(): Promise<void> | null {
    return this.outbound.whenWritable();
  }

  /** A client that goes away before answering never answers: the question waits for another client or its timeout. */
  private request(method: string, params: unknown): SentRequest {
    const sent = this.outbound.sendRequest(method, params);
    return { id: sent.id, answer: sent.answer.catch((error: unknown) => (error instanceof ConnectionGone ? new Promise(() => {}) : Promise.reject(error))) };
  }
}
