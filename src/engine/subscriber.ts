/** A server request on its way: the id it went out with, and the client's answer (rejects on an error answer). */
export interface SentRequest {
  id: number | string;
  answer: Promise<unknown>;
}

/** Whoever receives a thread's notifications (a connection's session). */
export interface Subscriber {
  /** Asks the client (server → client request); absent for subscribers that cannot answer. */
  request?(method: string, params: unknown): SentRequest;
  notify(method: string, params: unknown, emittedAtMs?: number): void;
  /** Null while it keeps up; else resolves once it can take more (output backpressure). */
  ready?(): Promise<void> | null;
}
