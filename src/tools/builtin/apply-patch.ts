// `apply_patch`: Codex's patch tool — a `*** Begin Patch` envelope (or a unified diff) applied all
// or nothing, reported as one `fileChange` item. The same engine runs a patch a model sends through
// the shell tool as `apply_patch <<'EOF' … EOF` (exec-command.ts).
import * as z from 'zod';
import { planPatchText, readFileState } from '../patch/index.js';
import type { Tool, ToolContext, ToolResult } from '../tool.js';
import { fileStateReader, onlyEditsInPlace } from './editor-files.js';
import { applyChanges, unplannable } from './file-changes.js';

const ApplyPatchInput = z.object({ input: z.string().min(1).describe('The entire contents of the apply_patch command') });

export const APPLY_PATCH_DESCRIPTION = `Use the \`apply_patch\` tool to edit files. The patch language is a stripped-down, file-oriented diff format:

*** Begin Patch
[ one or more file sections ]
*** End Patch

Each file section starts with one of three headers:
*** Add File: <path> - create a new file; every following line is a + line (the initial contents).
*** Delete File: <path> - remove an existing file; nothing follows.
*** Update File: <path> - patch an existing file in place (optionally followed by *** Move to: <new path> to rename it).

An update is made of hunks, each introduced by @@ (optionally followed by a line such as a class or function header that locates it). Within a hunk every line starts with a space (context), - (removed) or + (added). Show 3 lines of context above and below each change; use @@ headers when that is not enough to place it. Paths are relative to the working directory (never absolute). A unified diff (--- a/path, +++ b/path, @@ -l,n +l,n @@) is also accepted. The whole patch is applied, or nothing is. When this tool is offered as a freeform tool, send the patch text itself, not JSON.`;

/**
 * The patch language as a Lark grammar, for models that take apply_patch as a freeform tool (they
 * then write the patch itself, not JSON around it). Unified diffs stay accepted as a function input.
 */
export const APPLY_PATCH_GRAMMAR = String.raw`start: begin_patch file_op+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?

file_op: add_file | delete_file | update_file
add_file: "*** Add File: " path LF added_line+
delete_file: "*** Delete File: " path LF
update_file: "*** Update File: " path LF move_to? changes?

move_to: "*** Move to: " path LF
changes: (hunk_header | hunk_line)+ end_of_file?
hunk_header: ("@@" | "@@ " /(.+)/) LF
hunk_line: (" " | "-" | "+") /(.*)/ LF
added_line: "+" /(.*)/ LF
end_of_file: "*** End of File" LF

path: /(.+)/

%import common.LF
`;

export async function runPatch(text: string, ctx: ToolContext, cwd = ctx.cwd): Promise<ToolResult> {
  // A delete or a move is Keel's to write (the editor cannot): such a patch is planned on the disk as it is.
  const planned = await planPatchText(text, cwd, onlyEditsInPlace(text) ? fileStateReader(ctx) : readFileState);
  if (!planned.ok) return unplannable(ctx, planned.failure);
  return applyChanges(ctx, planned.changes);
}

export const applyPatch: Tool<z.output<typeof ApplyPatchInput>> = {
  name: 'apply_patch',
  description: APPLY_PATCH_DESCRIPTION,
  input: ApplyPatchInput,
  aliases: { patch: 'input', diff: 'input' },
  freeform: { grammar: APPLY_PATCH_GRAMMAR, field: 'input' },
  run: (input, ctx) => runPatch(input.input, ctx),
};
