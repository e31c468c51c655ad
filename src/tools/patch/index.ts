// The patch engine: parse (`*** Begin Patch`, unified diffs, a heredoc through the shell tool),
// plan every file in memory, write all or nothing, say what failed in words the model can use,
// and diff the turn. A pure library: it knows files, not threads, turns or the wire.
export { aggregateDiff } from './aggregate.js';
export { applyHunks } from './apply-hunks.js';
export { applyPlanned } from './apply-planned.js';
export { diffLines, unifiedDiff, unifiedHunks } from './diff.js';
export { toFileUpdateChange, type FileUpdateChangeShape } from './file-update-change.js';
export { formatPatchFailure } from './format-failure.js';
export { formatPatchSuccess } from './format-success.js';
export { extractHeredocPatch, type HeredocPatch } from './heredoc.js';
export { parseAnyPatch, planPatchText } from './parse-any.js';
export { parsePatch } from './parse-patch.js';
export { parseUnifiedDiff } from './parse-unified.js';
export { PatchParseError } from './patch-error.js';
export { planPatch } from './plan.js';
export { readFileState } from './read-file-state.js';
export { revertChanges } from './revert.js';
export type * from './types.js';
