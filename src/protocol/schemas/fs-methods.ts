// The host file system as a client reaches it (fs/*: read, write, create a directory, metadata, list,
// remove, copy, watch) and quick-open over file names (fuzzyFileSearch), in Codex's shapes. Paths
// are absolute (Codex's AbsolutePathBuf) and at most PATH_MAX long; file contents travel as base64.
import path from 'node:path';
import * as z from 'zod';
import { emptyObject, UInt } from './common.js';
import { boundedString, limits } from './limits.js';

/** An absolute path: a relative one, or one with a NUL, is refused naming the field. */
const FsPath = boundedString(limits.path)
  .refine((value) => path.isAbsolute(value), { error: 'not an absolute path' })
  .refine((value) => !value.includes('\0'), { error: 'holds a NUL character' })
  .describe('An absolute path (Codex\'s AbsolutePathBuf).');

// One character class, no group repeated: a grouped pattern overflows V8's regex stack on a
// multi-megabyte value.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const Base64 = z.string().refine((value) => value.length % 4 === 0 && BASE64.test(value), { error: 'not base64 (standard alphabet, padded)' });

export const FsReadFileParams = z.object({ path: FsPath });
export const FsReadFileResponse = z.object({ dataBase64: z.string().describe('File contents encoded as base64.') });

export const FsWriteFileParams = z.object({ path: FsPath, dataBase64: Base64.describe('File contents encoded as base64.') });
export const FsWriteFileResponse = emptyObject();

export const FsCreateDirectoryParams = z.object({
  path: FsPath,
  recursive: z.boolean().nullish().describe('Whether parent directories should also be created. Defaults to `true`.'),
});
export const FsCreateDirectoryResponse = emptyObject();

export const FsGetMetadataParams = z.object({ path: FsPath });
export const FsGetMetadataResponse = z.object({
  isDirectory: z.boolean().describe('Whether the path resolves to a directory.'),
  isFile: z.boolean().describe('Whether the path resolves to a regular file.'),
  isSymlink: z.boolean().describe('Whether the path itself is a symbolic link.'),
  createdAtMs: z.number().int().describe('File creation time in Unix milliseconds when available, otherwise `0`.'),
  modifiedAtMs: z.number().int().describe('File modification time in Unix milliseconds when available, otherwise `0`.'),
});

export const FsReadDirectoryParams = z.object({ path: FsPath });
const FsReadDirectoryEntry = z.object({
  fileName: z.string().describe('Direct child entry name only, not an absolute or relative path.'),
  isDirectory: z.boolean().describe('Whether this entry resolves to a directory.'),
  isFile: z.boolean().describe('Whether this entry resolves to a regular file.'),
});
export const FsReadDirectoryResponse = z.object({ entries: z.array(FsReadDirectoryEntry).describe('Direct child entries, by name.') });

export const FsRemoveParams = z.object({
  path: FsPath,
  recursive: z.boolean().nullish().describe('Whether directory removal should recurse. Defaults to `true`.'),
  force: z.boolean().nullish().describe('Whether missing paths should be ignored. Defaults to `true`.'),
});
export const FsRemoveResponse = emptyObject();

export const FsCopyParams = z.object({
  sourcePath: FsPath,
  destinationPath: FsPath,
  recursive: z.boolean().nullish().describe('Required for directory copies; ignored for file copies.'),
});
export const FsCopyResponse = emptyObject();

export const FsWatchParams = z.object({
  watchId: boundedString(limits.identifier).describe('Connection-scoped watch identifier used for `fs/unwatch` and `fs/changed`.'),
  path: FsPath,
});
export const FsWatchResponse = z.object({ path: z.string().describe('The watched path, as requested (normalised).') });

export const FsUnwatchParams = z.object({ watchId: z.string() });
export const FsUnwatchResponse = emptyObject();

export const FsChangedNotification = z.object({
  watchId: z.string().describe('Watch identifier previously provided to `fs/watch`.'),
  changedPaths: z.array(z.string()).describe('File or directory paths associated with this event, sorted.'),
});

/** Roots one fuzzyFileSearch may name. */
export const FUZZY_SEARCH_MAX_ROOTS = 64;

export const FuzzyFileSearchParams = z.object({
  query: boundedString(limits.searchTerm),
  roots: z.array(boundedString(limits.path)).max(FUZZY_SEARCH_MAX_ROOTS, { error: `too many roots: the maximum is ${FUZZY_SEARCH_MAX_ROOTS}` }),
  cancellationToken: z.string().nullish().describe('A later search with the same token cancels this one (which then answers no files).'),
});
const FuzzyFileSearchResult = z.object({
  root: z.string(),
  path: z.string().describe('From the root, `/`-separated.'),
  match_type: z.enum(['file', 'directory']),
  file_name: z.string(),
  score: UInt,
  indices: z.array(UInt).nullable().describe('Matched character positions in `path`.'),
});
export const FuzzyFileSearchResponse = z.object({ files: z.array(FuzzyFileSearchResult) });
