// Per-connection state: the initialize gate, the experimental-API opt-in and notification
// opt-outs. Resource handlers never look at these; dispatch and `notify` do. Which threads a
// connection hears is the threads' business (ThreadRuntime.subscribers, via ThreadCommands).
import type { z } from 'zod';
import type { SentRequest, Subscriber } from '../engine/subscriber.js';
import type { InitializeParams } from '../protocol/schemas/initialize.js';
import { ConnectionGone } from '../transport/rpc-connection.js';

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

  ready(): Promise<void> | null {
    return this.outbound.whenWritable();
  }

  /** A client that goes away before answering never answers: the question waits for another client or its timeout. */
  request(method: string, params: unknown): SentRequest {
    const sent = this.outbound.sendRequest(method, params);
    return { id: sent.id, answer: sent.answer.catch((error: unknown) => (error instanceof ConnectionGone ? new Promise(() => {}) : Promise.reject(error))) };
  }
}
