// What the turn engine is given: the limits a turn runs under, and the environment it reaches the
// rest of Keel through (providers, the turn's tools, gates, clocks, notifications) — the engine's
// only way out, so turns run the same in the server, in tests and in `keel exec`.
import type { Log } from '../../log.js';
import type { ModelProvider } from '../../providers/types.js';
import type { ToolGate } from '../../tools/gate.js';
import type { EditorWorkspace } from '../../tools/workspace.js';
import type { Signal } from '../signals.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import type { CallLimits } from './model-call.js';
import type { AnyCallTools, ToolSource } from './tool-source.js';
import type { Clock } from '../../kernel/clock.js';
import type { SkillForModel } from './skills-context.js';

export interface TurnLimits extends CallLimits {
  maxIterations: number;
  turnTimeoutMs: number;
  /** Where a turn moves when its provider fails for good, in order (`keel.fallback`). */
  fallback: Array<{ modelProvider: string; model: string }>;
  /** How long a question to the client (approval, user input, client tool) waits before it is settled unanswered. */
  clientRequestTimeoutMs: number;
  /** Compact before a model call estimated past this many tokens; null: 90% of the model's context window, when known. */
  autoCompactTokenLimit: number | null;
}

export interface TurnEnvironment {
  /** The provider for an id; throws ProviderError (e.g. unauthorized when its key is missing). */
  provider(providerId: string): Promise<ModelProvider>;
  contextWindow(providerId: string, model: string): number | null;
  /** A message when the provider is known not to serve the model, else null. */
  unservedModel(providerId: string, model: string): string | null;
  limits(): TurnLimits;
  /** Every tool a turn may offer — Keel's own, the client's, MCP servers' — as one (tool-source.ts allToolSources). */
  tools: ToolSource<AnyCallTools>;
  /** The one gate every tool action of a turn passes (approvals and the sandbox); `cancel` interrupts the turn. */
  gate(turn: { runtime: ThreadRuntime; turnId: string; signal: AbortSignal; cancel: () => void }): ToolGate;
  /** Whether a command only reads (what Plan mode lets run). */
  onlyReads(command: string, shell?: string): boolean;
  /** `$KEEL_HOME`, where the user's own AGENTS.md lives. */
  home: string;
  /** The enabled skills of a working directory, as on disk now (absent: none). */
  skills?(cwd: string): Promise<SkillForModel[]>;
  /** Real paths no image is read from when the history is rebuilt (Keel's home, a --db outside it). */
  hidden: readonly string[];
  /** What commands start from: Keel's environment under config.toml's shell_environment_policy, read now. */
  commandEnv(): NodeJS.ProcessEnv;
  /** The editor lending a thread its files or terminal now (an ACP client's); absent or undefined: Keel's own. */
  workspace?(threadId: string): EditorWorkspace | undefined;
  now(): number;
  /** The clock of the turn's timers (watchdog, stream idle, retry backoff, client questions); absent: the real one. */
  clock?: Clock;
  newId(): string;
  logger: Log;
  /** Account-level signals (rate limits) for every connection. */
  broadcast(signal: Signal): void;
  /** Something about a thread that is not a thread event (warnings), to its subscribers. */
  notify(runtime: ThreadRuntime, signal: Signal): void;
  /** The store refused a turn's end even after retries: the thread must be reloaded from its log. */
  endNotStored(runtime: ThreadRuntime, turnId: string, error: unknown): void;
}
