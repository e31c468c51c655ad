// What an editor hosting a thread lends its tools instead of Keel's own disk and processes (ACP's
// client capabilities): its view of files — a buffer the user has not saved is what the model
// reads, and an edit goes through the editor, which shows it — and its terminal, where commands run
// in front of the user. Each part is optional; without it the tools do as they always do. The
// checks stay Keel's: the gate, the sandbox's paths and its launch (bubblewrap) apply before anything
// is handed to the editor.
import type { CommandStarter } from './exec/index.js';

/** Either part may be missing (an editor may offer reads alone): Keel's own disk does the other. */
export interface EditorFiles {
  /** The file's text as the editor has it (its unsaved buffer when open); rejects when it cannot. */
  read?(file: string, signal: AbortSignal): Promise<string>;
  /** Writes the file's whole text through the editor (which shows the edit); rejects when it cannot. */
  write?(file: string, content: string, signal: AbortSignal): Promise<void>;
}

export interface EditorWorkspace {
  files?: EditorFiles;
  /** Starts a tool call's commands in the editor's terminal; the call's item shows the terminal. */
  terminal?: (call: { turnId: string; itemId: string }) => CommandStarter;
}
