// File reads and edits through the editor that hosts the thread, when it lends its files
// (tools/workspace.ts): the model reads what the user sees — an unsaved buffer included — and an
// edit is written by the editor, which shows it. The disk still answers what the editor does not
// know (a directory, a missing file, a binary one), and a patch that deletes or moves a file is
// planned and applied on disk as Keel always does: the editor has no way to delete or rename.
import { checkWrite, removeFile, type WriteConfinement } from '../sandbox/index.js';
import { parseAnyPatch, readFileState, type ApplyResult, type FileState, type PlannedChange, type ReadFile } from '../patch/index.js';
import type { ToolContext } from '../tool.js';
import type { EditorFiles } from '../workspace.js';

type WritingFiles = EditorFiles & Required<Pick<EditorFiles, 'write'>>;

/** The editor's files when it writes them for this call, or undefined when Keel writes the disk itself. */
export function editorFiles(ctx: ToolContext): WritingFiles | undefined {
  const files = ctx.workspace?.files;
  return files?.write === undefined ? undefined : (files as WritingFiles);
}

/** The editor's text of a file, when it lends reads; undefined: the disk's. */
function editorRead(ctx: ToolContext): ((file: string) => Promise<string>) | undefined {
  const read = ctx.workspace?.files?.read;
  return read === undefined ? undefined : (file) => read.call(ctx.workspace!.files, file, ctx.signal);
}

/** readFileRange's `text` option: the editor's text of a file, when it lends reads. */
export function lentText(ctx: ToolContext): { text?: (file: string) => Promise<string> } {
  const read = editorRead(ctx);
  return read === undefined ? {} : { text: read };
}

/**
 * How a patch or an edit sees a file: the disk's state, with the editor's text for a text file when
 * the editor also writes the edit — an edit is planned from the text it will be written over.
 */
export function fileStateReader(ctx: ToolContext): ReadFile {
  const read = editorRead(ctx);
  return read === undefined || editorFiles(ctx) === undefined ? readFileState : withEditorText(read);
}

/** The disk's state of a file, with `read`'s text for a text file (the disk's when `read` fails). */
function withEditorText(read: (file: string) => Promise<string>): ReadFile {
  return async (file): Promise<FileState> => {
    const disk = await readFileState(file);
    if (disk.kind !== 'file') return disk;
    const text = await read(file).catch(() => null);
    return text === null ? disk : { kind: 'file', content: text };
  };
}

/** Whether a patch text only adds and updates files in place (what the editor can write); false when it does not parse. */
export function onlyEditsInPlace(text: string): boolean {
  try {
    return parseAnyPatch(text).ops.every((op) => op.type === 'add' || (op.type === 'update' && op.movePath === undefined));
  } catch {
    return false;
  }
}

/** Whether the editor writes these changes: only adds and updates, which it can (no delete, no move). */
export function editorWrites(changes: readonly PlannedChange[]): boolean {
  return changes.every((change) => change.kind !== 'delete' && change.movePath === undefined);
}

/**
 * Writes adds and updates through the editor, all or none as far as the editor allows: each file
 * is checked against its before-image first (the editor's text now, or absent on disk for an add);
 * under a sandbox every path must lie in its writable roots, as Keel's own writes must; a write that
 * fails puts back the files already written (their before-images through the editor, a new file
 * removed from disk).
 */
export async function applyInEditor(changes: readonly PlannedChange[], files: WritingFiles, confinement: WriteConfinement | null, signal: AbortSignal): Promise<ApplyResult> {
  const stateOf = files.read === undefined ? readFileState : withEditorText((file) => files.read!(file, signal));
  const current = async (file: string) => {
    const state = await stateOf(file);
    return state.kind === 'file' ? state.content : state.kind === 'missing' ? null : undefined;
  };
  for (const change of changes) if ((await current(change.path)) !== change.before) return { ok: false, failure: { kind: 'stale', path: change.path } };
  if (confinement !== null) {
    const verdict = checkWrite(confinement.policy, confinement.context, changes.map((change) => change.path));
    if (!verdict.ok) return { ok: false, failure: { kind: 'writeFailed', path: verdict.path, message: verdict.reason, restored: [], notRestored: [] } };
  }
  const written: PlannedChange[] = [];
  for (const change of changes) {
    try {
      await files.write(change.path, change.after!, signal);
      written.push(change);
    } catch (error) {
      return { ok: false, failure: { kind: 'writeFailed', path: change.path, message: (error as Error).message, ...(await putBack(written, files, confinement, signal)) } };
    }
  }
  return { ok: true };
}

async function putBack(written: readonly PlannedChange[], files: WritingFiles, confinement: WriteConfinement | null, signal: AbortSignal) {
  const restored: string[] = [];
  const notRestored: Array<{ path: string; message: string }> = [];
  for (const change of [...written].reverse()) {
    try {
      if (change.before === null) await removeFile(change.path, confinement);
      else await files.write(change.path, change.before, signal);
      restored.push(change.path);
    } catch (error) {
      notRestored.push({ path: change.path, message: (error as Error).message });
    }
  }
  return { restored: restored.reverse(), notRestored };
}
