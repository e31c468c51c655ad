// The patch engine's data: one `Patch` model that both input formats parse into (Codex's
// `*** Begin Patch` and unified diffs), the planned change per file, and every way a patch can
// fail, as data the model can act on. Pure types; nothing here touches the disk.

/** One line of an update hunk: kept (` `), removed (`-`) or added (`+`); `text` has no line ending. */
export interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** A run of changed lines, found in the file by its context rather than by line number. */
export interface Hunk {
  /**
   * `@@ header` lines to seek first, in order (a class or function signature); each must be found
   * after the previous one, and the hunk's lines after the last. Empty for a bare `@@`.
   */
  headers: string[];
  lines: HunkLine[];
  /** `*** End of File`: the hunk's old lines must end the file. */
  endOfFile: boolean;
  /** A unified diff's `@@ -start` (1-based): a hint to prefer the match nearest this line. */
  oldStart?: number;
  /** The line of the patch text this hunk starts on (1-based), for failures. */
  patchLine: number;
}

export type FileOp =
  /** A new file (an existing file is overwritten, as Codex does); `contents` is exactly what is written. */
  | { type: 'add'; path: string; contents: string }
  | { type: 'delete'; path: string }
  | {
      type: 'update';
      path: string;
      /** `*** Move to:` / `rename to`: where the updated file ends up. */
      movePath?: string;
      /** Possibly empty for a pure move. */
      hunks: Hunk[];
      /**
       * Whether the result ends with a newline, when the patch says so (a unified diff's
       * `\ No newline at end of file`); absent: as the file had it.
       */
      eofNewline?: boolean;
    };

/** A parsed patch; paths as written in it (relative to the working directory, or absolute). */
export interface Patch {
  ops: FileOp[];
}

/** What one file operation does, planned in memory before anything is written. */
export interface PlannedChange {
  /** Absolute, normalised: the file the operation names (the source, for a move). */
  path: string;
  kind: 'add' | 'delete' | 'update';
  /** Absolute, normalised: where an update moves the file. */
  movePath?: string;
  /** The file's content before the change (its before-image, for revert); null when it did not exist. */
  before: string | null;
  /** The content written (at `movePath` for a move); null for a delete. */
  after: string | null;
  /** Unified diff of this file, paths relative to the working directory, 3 lines of context. */
  diff: string;
}

/** What the engine knows about a path on disk. */
export type FileState =
  | { kind: 'file'; content: string }
  | { kind: 'missing' }
  | { kind: 'directory' }
  /** Not valid UTF-8, or contains NUL: a patch would corrupt it. */
  | { kind: 'notText' }
  /** A component of the path's parent is a file (`ancestor`, absolute). */
  | { kind: 'notDirectory'; ancestor: string }
  /** Anything else the read ran into (permissions, I/O). */
  | { kind: 'unreadable'; message: string };

export type ReadFile = (absolutePath: string) => FileState | Promise<FileState>;

/** Where a hunk's expected lines came closest to matching: the failure's best guess for the model. */
export interface NearestMatch {
  /** 1-based line in the file where the closest stretch starts. */
  line: number;
  /** How many of the hunk's expected lines match there (ignoring surrounding whitespace). */
  matching: number;
  /** The first expected line that differs there, if any; `actual` is null past the end of the file. */
  firstDifference?: { line: number; expected: string; actual: string | null };
}

/** A file's lines around the place a hunk was looked for. */
export interface Excerpt {
  /** 1-based number of `lines[0]`. */
  start: number;
  lines: string[];
}

export type PatchFailure =
  | { kind: 'parse'; line: number; message: string }
  | { kind: 'missingFile'; path: string; op: 'update' | 'delete' }
  | { kind: 'isDirectory'; path: string; op: 'add' | 'update' | 'delete' | 'move' }
  | { kind: 'notText'; path: string; op: 'add' | 'update' | 'delete' }
  | { kind: 'parentNotDirectory'; path: string; ancestor: string }
  | { kind: 'unreadable'; path: string; message: string }
  | { kind: 'moveTargetExists'; path: string; movePath: string }
  | {
      kind: 'contextNotFound';
      path: string;
      /** 1-based index of the failing hunk, and how many the file's update has. */
      hunk: number;
      hunks: number;
      /** The patch line the hunk starts on. */
      patchLine: number;
      /** What could not be found: an `@@ header` line, or the hunk's context and removed lines. */
      sought: 'header' | 'lines';
      expected: string[];
      /** The hunk as it was written, for the model to compare. */
      hunkText: string;
      /** 1-based line the search started at (after the previous hunk). */
      searchedFrom: number;
      /** The stretch that came closest, if any line matched at all. */
      nearest?: NearestMatch;
      /** The file's current lines around `nearest` (or around where the search started). */
      excerpt: Excerpt;
      /** The hunk had `*** End of File` and its lines were not at the end. */
      endOfFile: boolean;
    }
  /** A file changed on disk between planning and writing; nothing was written. */
  | { kind: 'stale'; path: string }
  /** A write failed midway; the files already written were put back from their before-images. */
  | {
      kind: 'writeFailed';
      path: string;
      message: string;
      /** The paths the patch had touched, now back as they were. */
      restored: string[];
      notRestored: Array<{ path: string; message: string }>;
    };

export type PlanResult = { ok: true; changes: PlannedChange[] } | { ok: false; failure: PatchFailure };
export type ApplyResult = { ok: true } | { ok: false; failure: PatchFailure };
