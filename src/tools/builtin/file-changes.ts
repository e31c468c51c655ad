// Applying file changes as a tool: the gate asked first (with every path), a `fileChange` item with
// each file's {path, kind, diff}, all files written or none, the turn's aggregate diff
// (`turn/diff/updated`) after it. Before the first write, the changes (before-images and new
// contents) are recorded in the thread's log as the item's intent: they become its undo (for
// revert) when it completes, and a crash midway is undone from them on the next load.
import { aggregateDiff, applyPlanned, formatPatchFailure, formatPatchSuccess, toFileUpdateChange, type PatchFailure, type PlannedChange } from '../patch/index.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { applyInEditor, editorFiles, editorWrites } from './editor-files.js';

/** The turn's file changes so far, oldest first (for its aggregate diff). */
const TURN_CHANGES = 'fileChanges';

type Status = 'inProgress' | 'completed' | 'failed' | 'declined';

function fileChange(ctx: ToolContext, changes: readonly PlannedChange[], status: Status) {
  return { type: 'fileChange' as const, id: ctx.callId, changes: changes.map(toFileUpdateChange), status };
}

/** A change that could not even be planned: a failed item with no files, and the reason for the model. */
export function unplannable(ctx: ToolContext, failure: PatchFailure): ToolResult {
  return { item: fileChange(ctx, [], 'failed'), output: formatPatchFailure(failure, ctx.cwd) };
}

export async function applyChanges(ctx: ToolContext, changes: readonly PlannedChange[], success = formatPatchSuccess(changes, ctx.cwd)): Promise<ToolResult> {
  const paths = [...new Set(changes.flatMap((change) => (change.movePath ? [change.path, change.movePath] : [change.path])))];
  const announce = () => ctx.report.start(fileChange(ctx, changes, 'inProgress'));
  const decision = await ctx.gate.check({ kind: 'write', itemId: ctx.callId, paths, cwd: ctx.cwd, announce }, ctx.signal);
  announce();
  if (!decision.allowed) return { item: fileChange(ctx, changes, 'declined'), output: `The change was not applied: ${decision.reason}` };
  ctx.report.intent(changes.map(({ path, movePath, before, after }) => ({ path, movePath: movePath ?? null, before, after })));
  const files = editorFiles(ctx);
  const applied = files !== undefined && editorWrites(changes) ? await applyInEditor(changes, files, decision.confine ?? null, ctx.signal) : await applyPlanned(changes, decision.confine ?? null);
  if (!applied.ok) return { item: fileChange(ctx, changes, 'failed'), output: formatPatchFailure(applied.failure, ctx.cwd) };
  const turnChanges = ctx.turn.get<PlannedChange[]>(TURN_CHANGES, () => []);
  turnChanges.push(...changes);
  ctx.report.diff(aggregateDiff(turnChanges, ctx.cwd));
  return { item: fileChange(ctx, changes, 'completed'), output: success };
}
