// Lets a notification carry the time of the event it reports as its `emittedAtMs`, so a client
// folding the stream sees the same timestamps a replay of the log produces. The mark is a symbol
// property: invisible to JSON.stringify, read only by the writer.
export const EMITTED_AT: unique symbol = Symbol('keel.emittedAtMs');

export function markEmittedAt<T>(params: T, emittedAtMs: number): T {
  if (typeof params === 'object' && params !== null) {
    Object.defineProperty(params, EMITTED_AT, { value: emittedAtMs, enumerable: false, configurable: true });
  }
  return params;
}

export function emittedAtOf(params: unknown, fallback: number): number {
  if (typeof params === 'object' && params !== null) {
    const value = (params as { [EMITTED_AT]?: number })[EMITTED_AT];
    if (typeof value === 'number') return value;
  }
  return fallback;
}
