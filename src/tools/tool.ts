// What a tool is: defined once — name, description, a zod schema for its input, the spellings of
// its fields other models use — and an executor that reports what it does as thread items. Tools
// know neither the wire nor the store: they get a context with the thread's cwd, the turn's abort
// signal, the one gate every action passes, and a reporter for their item.
import type { z } from 'zod';
import type { FileUndo, PlanStep, ToolFamily } from '../core/events.js';
import type { ThreadItem } from '../core/protocol-types.js';
import type { ToolGate } from './gate.js';
import type { EditorWorkspace } from './workspace.js';

export type { ToolFamily };

/** A call as the model made it. `arguments` is JSON text, or the raw text of a freeform call. */
export interface ToolCall {
  callId: string;
  name: string;
  arguments: string;
  freeform?: boolean;
}

/** How a tool shows its work: one item per call, started, streamed, completed. */
export interface ItemReporter {
  /** item/started for the call's item (its id is ctx.callId). */
  start(item: ThreadItem): void;
  /**
   * Streamed command output of the started item. A returned promise asks the tool to read no more
   * of the command until it settles (every client is behind: backpressure).
   */
  output(text: string): void | Promise<void>;
  /** The turn's plan (`update_plan`). */
  plan(explanation: string | null, steps: PlanStep[]): void;
  /** The turn's aggregate diff, after a file change. */
  diff(unifiedDiff: string): void;
  /**
   * Records, durably, the file changes the started item is about to write (before-images and new
   * contents), before the first write: a crash midway is undone from it on the next load. Throws
   * when it cannot be recorded; then nothing may be written.
   */
  intent(changes: FileUndo[]): void;
}

/** What a tool call leaves behind: the item as completed, and what the model is told. */
export interface ToolResult {
  item: ThreadItem;
  output: string;
  /** For file changes not recorded by `report.intent`: each file as it was and as it is now (kept with the item, for revert). */
  undo?: FileUndo[];
}

export interface ToolContext {
  threadId: string;
  turnId: string;
  /** The id of the call's item: the model's call id, unless it sent none or one the thread already has (engine/turns/run-tool-calls.ts). */
  callId: string;
  /** The thread's working directory: relative paths resolve against it. */
  cwd: string;
  /** The turn's: interrupt and the turn timeout abort what a tool runs. */
  signal: AbortSignal;
  report: ItemReporter;
  /** Every action that runs a command or changes a file asks here first (approvals, sandbox). */
  gate: ToolGate;
  /** State kept for the turn (exec sessions, the turn's file changes); ended with it. */
  turn: TurnToolState;
  /** What commands start from: Keel's environment under shell_environment_policy (no keys by default). */
  env: NodeJS.ProcessEnv;
  /** The editor hosting the thread, when it lends its files or terminal (an ACP client); absent: Keel's own. */
  workspace?: EditorWorkspace;
}

/** Per-turn state shared by the turn's tool calls; `close()` ends what the turn started. */
export interface TurnToolState {
  get<T>(key: string, create: () => T & { close?(): void | Promise<void> }): T;
  close(): Promise<void>;
}

export interface Tool<Input = any> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  /** Field spellings other models use, mapped to this tool's own (`file_path` → `path`). */
  aliases?: Readonly<Record<string, string>>;
  /** An Anthropic-defined tool (its schema is Anthropic's; Claude was trained on it). */
  anthropicType?: string;
  /**
   * Whether a call only reads (files, listings, searches, a command the read-only classifier vouches
   * for): such calls of one response run side by side (engine/turns/run-tool-calls.ts). `true` for
   * every call, or decided from the call's parsed input; absent: the call may change something.
   */
  readOnly?: true | ((input: Input) => boolean);
  /** Also a freeform tool, for models that take them: raw text in `grammar` (Lark), standing for the input field `field`. */
  freeform?: { grammar: string; field: string };
  run(input: Input, ctx: ToolContext): Promise<ToolResult>;
}
