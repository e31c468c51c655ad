// Plan mode (turn/start.collaborationMode {mode: "plan"}): the model may read and search but not
// change anything — the gate refuses file changes and any command it cannot vouch for as reading —
// and the turn ends with a plan the client can accept, a `plan` item taken from the model's
// <proposed_plan> block.
import type { GateRequest, ToolGate } from '../../tools/gate.js';

export const PLAN_MODE_PROMPT = `You are in Plan mode. Keel will not let you change anything in this mode: no file edits, no commands that write, install or delete. You may read files, list directories, search and run commands that only look.

Work in two steps:
1. Explore until you understand the task and the code it touches: find the relevant files, read them, check how things are done in this project. Prefer finding facts yourself over asking; ask the user only what the project cannot tell you.
2. Write the plan: what to change, where (files and functions), in what order, how it will be tested, and what you are assuming. Make it complete enough that someone else could carry it out without making decisions.

End your final message with the plan inside a block of its own:
<proposed_plan>
…the plan, in Markdown…
</proposed_plan>
Give one such block per turn, only when the plan is complete.`;

/** Told to the model on the first turn after Plan mode: it may act again. */
export const PLAN_MODE_ENDED =
  'Plan mode has ended: you are in the default mode now. You may change files and run commands again, within the approval policy and sandbox; the Plan-mode rules above no longer apply.';

/** The gate of a Plan-mode turn: reads pass on to `inner`; changes and unvouched commands are refused. */
export function planModeGate(inner: ToolGate, onlyReads: (command: string, shell?: string) => boolean): ToolGate {
  return {
    async check(request: GateRequest, signal: AbortSignal) {
      if (request.kind === 'write') return { allowed: false, reason: 'Plan mode: files may not be changed; propose the change in your plan instead.' };
      if (request.kind === 'mcp') return { allowed: false, reason: 'Plan mode: MCP tools may act outside Keel, so they are not called; propose the call in your plan instead.' };
      // Input to a running command goes to whatever runs there now: never vouched for as reading.
      if (request.stdin !== undefined) return { allowed: false, reason: 'Plan mode: input may not be written to a running command; propose it in your plan instead.' };
      if (request.command !== undefined && !onlyReads(request.command, request.shell)) {
        return { allowed: false, reason: 'Plan mode: only commands that read (cat, ls, find, rg, grep, head, …) may run; propose anything else in your plan.' };
      }
      return inner.check(request, signal);
    },
  };
}

/** The text of the last <proposed_plan> block of a message, or null. */
export function proposedPlan(message: string): string | null {
  const blocks = [...message.matchAll(/<proposed_plan>\s*\n?([\s\S]*?)\n?\s*<\/proposed_plan>/g)];
  const last = blocks.at(-1)?.[1]?.trim();
  return last ? last : null;
}
