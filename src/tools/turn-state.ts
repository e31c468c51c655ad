// State a turn's tool calls share (exec sessions, the turn's file changes), created on first use
// and closed when the turn ends.
import type { TurnToolState } from './tool.js';

type Closable = { close?(): void | Promise<void> };

export function turnToolState(): TurnToolState {
  const entries = new Map<string, Closable>();
  return {
    get<T>(key: string, create: () => T & Closable): T {
      let entry = entries.get(key);
      if (entry === undefined) entries.set(key, (entry = create()));
      return entry as T;
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.allSettled(all.map((entry) => entry.close?.()));
    },
  };
}
