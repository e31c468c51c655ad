// One way for a turn to offer tools and run the model's calls to them, whoever provides them:
// Keel's own (builtin-tool-source.ts), the client's (client-tool-source.ts: dynamic tools and Plan
// mode's request_user_input) and MCP servers' (mcp-tool-source.ts). A source's tools are fixed for
// a turn at its first model call — every call of the turn offers the same ones, so its cached prefix
// holds — and each call runs behind the turn's one gate (ToolContext.gate), shown as its source's
// item: Keel's tools report their own (ItemReporter), a client's call is a `dynamicToolCall`, an
// MCP call an `mcpToolCall`.
import type { Clock } from '../../kernel/clock.js';
import type { ToolDefinition } from '../../providers/types.js';
import type { ToolCall, ToolFamily } from '../../tools/tool.js';
import type { ThreadRuntime } from '../thread-runtime.js';
import type { TurnOptions } from './model-call.js';
import type { CallPlan } from './run-tool-calls.js';

/** What a source may know of the turn it offers tools to. */
export interface ToolTurn {
  runtime: ThreadRuntime;
  turnId: string;
  mode: TurnOptions['mode'];
  /** The turn's: a question to the client is settled unanswered when it aborts. */
  signal: AbortSignal;
  /** How long a question to the client (a client's tool) waits before it is settled unanswered. */
  clientRequestTimeoutMs: number;
  now(): number;
  /** The clock client questions time out on; absent: the real one. */
  clock?: Clock;
}

/** The model a call goes to, as far as its tools go. */
export interface ToolModel {
  family: ToolFamily;
  /** Whether it takes freeform tools (apply_patch as raw patch text). */
  freeform: boolean;
}

export interface ToolSource<Tools extends TurnTools = TurnTools> {
  /** This source's tools for one turn, fixed now: asked once, at the turn's first model call. */
  forTurn(turn: ToolTurn): Tools;
}

/**
 * A source's tools in one turn. They are the same on every call of the turn; only how Keel's own
 * are described depends on the model called (its family; a fallback may change it mid-turn).
 */
export interface TurnTools {
  /** What a model call of the turn is offered. */
  list(model: ToolModel): ToolDefinition[];
  /**
   * How a call the model made runs (its item id already set, run-tool-calls.ts), or null when it is
   * not one of this source's tools. `family`: that of the model that made the call.
   */
  resolve(call: ToolCall, family: ToolFamily): CallPlan | null;
}

/** Tools that take any call: one that is not theirs runs as a refusal naming the tools there are. */
export interface AnyCallTools extends TurnTools {
  resolve(call: ToolCall, family: ToolFamily): CallPlan;
}

/**
 * Every source as one. Offered in the order Keel's own, the goal tools, the client's, MCP servers'
 * (the order of every request's cached prefix); a call is claimed by the client's tools first, then
 * MCP's, then the goal tools, then Keel's own, which take any call the others do not.
 */
export function allToolSources(sources: { builtin: ToolSource<AnyCallTools>; goal?: ToolSource; client: ToolSource; mcp: ToolSource }): ToolSource<AnyCallTools> {
  return {
    forTurn(turn) {
      const builtin = sources.builtin.forTurn(turn);
      // The goal tools (goal-tools.ts) come right after Keel's own, where Codex offers them.
      const goal = sources.goal?.forTurn(turn);
      const client = sources.client.forTurn(turn);
      const mcp = sources.mcp.forTurn(turn);
      return {
        list: (model) => [...builtin.list(model), ...(goal?.list(model) ?? []), ...client.list(model), ...mcp.list(model)],
        resolve: (call, family) => client.resolve(call, family) ?? mcp.resolve(call, family) ?? goal?.resolve(call, family) ?? builtin.resolve(call, family),
      };
    },
  };
}
