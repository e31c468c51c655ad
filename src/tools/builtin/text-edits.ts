// The edits of Claude's text-editor tool (create, str_replace, insert), each a planned change of
// one file, applied through the same path as patches (gate, fileChange item, turn diff). A file is
// seen as `readFile` sees it: the disk, or the editor's text when it lends its files (editor-files.ts).
import path from 'node:path';
import { diffLabel } from '../patch/paths.js';
import { readFileState, unifiedDiff, type PlannedChange, type ReadFile } from '../patch/index.js';

export type EditOutcome = { ok: true; change: PlannedChange } | { ok: false; error: string };

async function current(file: string, readFile: ReadFile): Promise<{ ok: true; content: string } | { ok: false; error: string }> {
  const state = await readFile(file);
  switch (state.kind) {
    case 'file':
      return { ok: true, content: state.content };
    case 'missing':
      return { ok: false, error: `The path ${file} does not exist.` };
    case 'directory':
      return { ok: false, error: `The path ${file} is a directory; this command edits files.` };
    case 'notText':
      return { ok: false, error: `The file ${file} is not a UTF-8 text file.` };
    default:
      return { ok: false, error: `The file ${file} cannot be read.` };
  }
}

function change(cwd: string, file: string, before: string | null, after: string): PlannedChange {
  return { path: file, kind: before === null ? 'add' : 'update', before, after, diff: unifiedDiff(before, after, diffLabel('a', cwd, file), diffLabel('b', cwd, file)) };
}

export async function createFile(cwd: string, file: string, text: string, readFile: ReadFile = readFileState): Promise<EditOutcome> {
  const state = await readFile(file);
  if (state.kind === 'directory') return { ok: false, error: `The path ${file} is a directory.` };
  return { ok: true, change: change(cwd, file, state.kind === 'file' ? state.content : null, text) };
}

/** Replaces the one occurrence of `oldText`; none, or more than one, is an error naming the lines. */
export async function replaceOnce(cwd: string, file: string, oldText: string, newText: string, readFile: ReadFile = readFileState): Promise<EditOutcome> {
  const read = await current(file, readFile);
  if (!read.ok) return read;
  if (oldText === '') return { ok: false, error: 'old_str is empty; give the exact text to replace, with enough context to be unique.' };
  const at: number[] = [];
  for (let index = read.content.indexOf(oldText); index !== -1; index = read.content.indexOf(oldText, index + 1)) at.push(index);
  if (at.length === 0) return { ok: false, error: `No replacement was performed: old_str did not appear verbatim in ${file}.` };
  if (at.length > 1) {
    const lines = at.map((index) => read.content.slice(0, index).split('\n').length);
    return { ok: false, error: `No replacement was performed: old_str appears ${at.length} times in ${file} (lines ${lines.join(', ')}); include more context to make it unique.` };
  }
  const after = read.content.slice(0, at[0]) + newText + read.content.slice(at[0]! + oldText.length);
  return { ok: true, change: change(cwd, file, read.content, after) };
}

/** Inserts `text` after line `line` (0: at the top). */
export async function insertAfter(cwd: string, file: string, line: number, text: string, readFile: ReadFile = readFileState): Promise<EditOutcome> {
  const read = await current(file, readFile);
  if (!read.ok) return read;
  const lines = read.content.split('\n');
  const count = read.content.endsWith('\n') ? lines.length - 1 : lines.length;
  if (!Number.isInteger(line) || line < 0 || line > count) return { ok: false, error: `insert_line ${line} is outside the file (it has ${count} lines; 0 inserts at the top).` };
  const inserted = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  lines.splice(line, 0, ...inserted);
  return { ok: true, change: change(cwd, file, read.content, lines.join('\n')) };
}

export const absolute = (cwd: string, file: string) => path.resolve(cwd, file);
