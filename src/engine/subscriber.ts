/** Whoever receives a thread's notifications (a connection's session). */
export interface Subscriber {
  notify(method: string, params: unknown, emittedAtMs?: number): void;
  /** Null while it keeps up; else resolves once it can take more (output backpressure). */
  ready?(): Promise<void> | null;
}
