/**
 * A server request on its way: the id it went out with, and the client's answer (rejects on an
 * error answer; never settles when the client went away before answering — someone else may).
 */
export interface SentRequest {
  id: number | string;
  answer: Promise<unknown>;
}

/** Whoever receives a thread's notifications (a connection's session). */
export interface Subscriber {
  /** Asks the client (server → client request); absent for subscribers that cannot answer. */
  request?(method: string, params: unknown): SentRequest;
  /** `seq`: the thread's event sequence number the notification is at (notifications about a thread). */
  notify(method: string, params: unknown, emittedAtMs?: number, seq?: number): void;
  /** Null while it keeps up; else resolves once it can take more (output backpressure). */
  ready?(): Promise<void> | null;
}
