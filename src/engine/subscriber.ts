/** Whoever receives a thread's notifications (a connection's session). */
export interface Subscriber {
  notify(method: string, params: unknown, emittedAtMs?: number): void;
}
