// What the engine tells its subscribers that no thread event records: a status it announces (a
// load, an unload), a question settled, a warning, an MCP server's start-up state, the provider's
// rate limits. Protocol-neutral values: each session renders them in its own protocol (the Codex
// session: src/server/codex-signals.ts), so the engine names no method of any wire.
import type { ThreadStatus } from '../core/protocol-types.js';
import type { RateLimitWindow } from '../providers/types.js';

export type Signal =
  /** A status the thread's events do not carry (it was loaded, or unloaded). */
  | { type: 'threadStatus'; threadId: string; status: ThreadStatus }
  /** A question this subscriber was asked (its `requestId`) is settled: by its answer, another's, a timeout or the turn's end. */
  | { type: 'questionSettled'; threadId: string; requestId: number | string }
  /** Something the user should know that changes no state (a turn moved to a fallback provider, a server failed). */
  | { type: 'warned'; threadId: string | null; message: string }
  | { type: 'mcpServerStatus'; name: string; status: 'starting' | 'ready' | 'failed' | 'cancelled'; error: string | null }
  /** Read from a provider's response headers; account-wide, per provider (`limitId`: its id). */
  | { type: 'rateLimits'; limitId: string; primary: RateLimitWindow | null; secondary: RateLimitWindow | null };

export type SignalOf<T extends Signal['type']> = Extract<Signal, { type: T }>;
