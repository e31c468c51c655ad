// Claude's text-editor tool (`text_editor_20250728`, named `str_replace_based_edit_tool`; Anthropic
// defines its schema): `view` a file (numbered lines, a window with view_range) or a directory (two
// levels), `create` a file, `str_replace` one unique occurrence, `insert` after a line. Views are
// shown as the shell read they equal; edits go through the patch path (gate, fileChange item, turn
// diff, before-images), as apply_patch does.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { formatFileRange, formatListing, listDirectory, readFileRange } from '../files/index.js';
import type { Tool, ToolContext, ToolResult } from '../tool.js';
import { fileStateReader, lentText } from './editor-files.js';
import { applyChanges } from './file-changes.js';
import { listCommand, readCommand, reportedRead } from './read-item.js';
import { createFile, insertAfter, replaceOnce, type EditOutcome } from './text-edits.js';

const TextEditorInput = z.object({
  command: z.enum(['view', 'create', 'str_replace', 'insert']),
  path: z.string().min(1),
  view_range: z.tuple([z.number().int(), z.number().int()]).nullish(),
  file_text: z.string().nullish(),
  old_str: z.string().nullish(),
  new_str: z.string().nullish(),
  insert_line: z.number().int().nullish(),
  insert_text: z.string().nullish(),
}).superRefine((input, check) => {
  const need = (field: keyof typeof input, present: boolean) => {
    if (!present) check.addIssue({ code: 'custom', path: [field], message: `required for ${input.command}` });
  };
  if (input.command === 'create') need('file_text', input.file_text != null);
  if (input.command === 'str_replace') need('old_str', input.old_str != null);
  if (input.command === 'insert') {
    need('insert_line', input.insert_line != null);
    need('insert_text', (input.insert_text ?? input.new_str) != null);
  }
});
type TextEditorInput = z.output<typeof TextEditorInput>;

async function view(input: TextEditorInput, ctx: ToolContext): Promise<ToolResult> {
  const target = path.resolve(ctx.cwd, input.path);
  const isDirectory = await fs.stat(target).then((stat) => stat.isDirectory(), () => false);
  if (isDirectory) {
    return reportedRead(ctx, listCommand(input.path, 2), target, async (hidden) => formatListing(await listDirectory(target, { signal: ctx.signal, depth: 2, hidden })));
  }
  const [first, last] = input.view_range ?? [undefined, undefined];
  const offset = first === undefined ? undefined : Math.max(1, first);
  const limit = last === undefined || last === -1 || offset === undefined ? undefined : Math.max(1, last - offset + 1);
  return reportedRead(ctx, readCommand(input.path, offset, limit), target, async (hidden) => formatFileRange(await readFileRange(target, { signal: ctx.signal, offset, limit, hidden, ...lentText(ctx) })));
}

/** An edit that cannot be made: a failed fileChange with no files, and the reason for Claude. */
function refusedEdit(ctx: ToolContext, error: string): ToolResult {
  return { item: { type: 'fileChange', id: ctx.callId, changes: [], status: 'failed' }, output: `Error: ${error}` };
}

async function edit(ctx: ToolContext, file: string, outcome: Promise<EditOutcome>, success: string): Promise<ToolResult> {
  const planned = await outcome;
  if (!planned.ok) return refusedEdit(ctx, planned.error);
  return applyChanges(ctx, [planned.change], success);
}

export const textEditor: Tool<TextEditorInput> = {
  name: 'str_replace_based_edit_tool',
  description: 'Views, creates and edits text files.',
  input: TextEditorInput,
  anthropicType: 'text_editor_20250728',
  aliases: { file_path: 'path' },
  readOnly: (input) => input.command === 'view',
  async run(input, ctx) {
    const file = path.resolve(ctx.cwd, input.path);
    switch (input.command) {
      case 'view':
        return view(input, ctx);
      case 'create':
        return edit(ctx, file, createFile(ctx.cwd, file, input.file_text!, fileStateReader(ctx)), `File created successfully at: ${input.path}`);
      case 'str_replace':
        return edit(ctx, file, replaceOnce(ctx.cwd, file, input.old_str!, input.new_str ?? '', fileStateReader(ctx)), `The file ${input.path} has been edited.`);
      case 'insert':
        return edit(ctx, file, insertAfter(ctx.cwd, file, input.insert_line!, (input.insert_text ?? input.new_str)!, fileStateReader(ctx)), `The file ${input.path} has been edited.`);
    }
  },
};
