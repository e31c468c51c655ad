// A server's status as callers see it, and the listeners waiting for it to change.
import type { Implementation, Resource, ServerCapabilities, Tool } from '@modelcontextprotocol/sdk/types.js';

/** `idle`: configured, not started yet (or disabled). `failed` may be followed by a restart. */
export type McpServerState = 'idle' | 'starting' | 'ready' | 'failed' | 'stopped';

export interface McpServerStatus {
  name: string;
  /** A disabled server stays `idle`: it is listed, never started. */
  enabled: boolean;
  state: McpServerState;
  error: string | null;
  /** The stdio server's process (group leader) id while it runs. */
  pid: number | null;
  serverInfo: Implementation | null;
  capabilities: ServerCapabilities | null;
  /** Offered tools (after enabled/disabled filtering); empty unless ready. */
  tools: Tool[];
  resources: Resource[];
}

type Listener = (status: McpServerStatus) => void;

export class StatusListeners {
  private readonly listeners = new Set<Listener>();

  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(status: McpServerStatus): void {
    for (const listener of [...this.listeners]) listener(status);
  }

  /** Resolves at the first status (current included) that is `done`, rejects at one that is `hopeless`. */
  waitFor(current: () => McpServerStatus, done: (s: McpServerStatus) => boolean, hopeless: (s: McpServerStatus) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (status: McpServerStatus): boolean => {
        if (done(status)) resolve();
        else if (hopeless(status)) reject(new Error(`${what} is ${status.state}${status.error ? `: ${status.error}` : ''}`));
        else return false;
        return true;
      };
      if (settle(current())) return;
      const timer = setTimeout(() => {
        unsubscribe();
        const s = current();
        reject(new Error(`${what} not ready within ${timeoutMs} ms (${s.state}${s.error ? `: ${s.error}` : ''})`));
      }, timeoutMs);
      const unsubscribe = this.add((status) => {
        if (!settle(status)) return;
        clearTimeout(timer);
        unsubscribe();
      });
    });
  }
}
