// Per-connection state: the initialize gate, the experimental-API opt-in and notification
// opt-outs. Resource handlers never look at these; dispatch and `notify` do. Which threads a
// connection hears is the threads' business (ThreadRuntime.subscribers, via ThreadCommands).
import type { z } from 'zod';
import type { SentRequest, Subscriber } from '../engine/subscriber.js';
import type { InitializeParams } from '../protocol/schemas/initialize.js';

export interface Outbound {
  /** `emittedAtMs`: the time of the event the notification reports. */
  sendNotification(method: string, params: unknown, emittedAtMs: number): void;
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

  notify(method: string, params: unknown, emittedAtMs = Date.now()): void {
    if (this.wants(method)) this.outbound.sendNotification(method, params, emittedAtMs);
  }

  ready(): Promise<void> | null {
    return this.outbound.whenWritable();
  }

  request(method: string, params: unknown): SentRequest {
    return this.outbound.sendRequest(method, params);
  }
}
