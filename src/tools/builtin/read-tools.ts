// The plain read and search tools of the generic toolset: read_file (a window of lines within a
// byte budget), list_dir, grep_files (regex, honouring .gitignore; ripgrep when present) and
// glob_files. Each is shown as the shell command that does the same (read-item.ts).
import path from 'node:path';
import * as z from 'zod';
import { formatFileRange, formatGlobResult, formatListing, formatSearchResult, globFiles, listDirectory, readFileRange, searchFiles } from '../files/index.js';
import type { Tool } from '../tool.js';
import { lentText } from './editor-files.js';
import { globCommand, listCommand, readCommand, reportedRead, searchCommand } from './read-item.js';

const positive = () => z.number().int().positive().nullish();

const ReadFileInput = z.object({
  path: z.string().min(1).describe('The file to read: absolute, or relative to the working directory.'),
  offset: positive().describe('The line to start reading from (1-based). Default 1.'),
  limit: positive().describe('The most lines to return. Default 2000.'),
});

export const readFile: Tool<z.output<typeof ReadFileInput>> = {
  name: 'read_file',
  description:
    'Reads a text file, numbering its lines like `cat -n`. Long files are cut at 2000 lines or 64 KiB (the answer says where to read on with `offset`); long lines are cut at 2000 characters.',
  input: ReadFileInput,
  aliases: { file_path: 'path', filename: 'path', start_line: 'offset', max_lines: 'limit' },
  readOnly: true,
  run: (input, ctx) =>
    reportedRead(ctx, readCommand(input.path, input.offset, input.limit), input.path, async (hidden) =>
      formatFileRange(await readFileRange(path.resolve(ctx.cwd, input.path), { signal: ctx.signal, offset: input.offset ?? undefined, limit: input.limit ?? undefined, hidden, ...lentText(ctx) })),
    ),
};

const ListDirInput = z.object({
  path: z.string().nullish().describe('The directory to list; default the working directory.'),
  depth: positive().describe('Levels to list; 1 (the default) lists the directory itself.'),
  limit: positive().describe('The most entries to return. Default 500.'),
});

export const listDir: Tool<z.output<typeof ListDirInput>> = {
  name: 'list_dir',
  description:
    'Lists a directory as an indented tree (`/` after directories, `@` after symbolic links), leaving out .git, hidden entries and what .gitignore excludes.',
  input: ListDirInput,
  aliases: { dir_path: 'path', directory: 'path' },
  readOnly: true,
  run: (input, ctx) => {
    const directory = input.path ?? '.';
    return reportedRead(ctx, listCommand(directory, input.depth ?? 1), directory, async (hidden) =>
      formatListing(await listDirectory(path.resolve(ctx.cwd, directory), { signal: ctx.signal, depth: input.depth ?? undefined, limit: input.limit ?? undefined, hidden })),
    );
  },
};

const GrepFilesInput = z.object({
  pattern: z.string().min(1).describe('A regular expression (ripgrep syntax).'),
  path: z.string().nullish().describe('The directory or file to search; default the working directory.'),
  glob: z.string().nullish().describe('Only files matching this glob (e.g. `*.ts`; `!*.min.js` leaves files out).'),
  case_insensitive: z.boolean().nullish(),
  limit: positive().describe('The most matching lines to return. Default 100.'),
});

export const grepFiles: Tool<z.output<typeof GrepFilesInput>> = {
  name: 'grep_files',
  description: 'Searches file contents for a regular expression, honouring .gitignore; answers `path:line: text` for each matching line.',
  input: GrepFilesInput,
  aliases: { include: 'glob', query: 'pattern', regex: 'pattern', dir_path: 'path', ignore_case: 'case_insensitive' },
  readOnly: true,
  run: (input, ctx) => {
    const target = input.path ?? '.';
    const globs = input.glob ? [input.glob] : [];
    return reportedRead(ctx, searchCommand(input.pattern, target, globs, input.case_insensitive === true), target, async (hidden) => {
      const result = await searchFiles({
        signal: ctx.signal,
        pattern: input.pattern,
        path: path.resolve(ctx.cwd, target),
        glob: globs,
        caseInsensitive: input.case_insensitive === true,
        maxResults: input.limit ?? undefined,
        hidden,
      });
      return formatSearchResult(result, { base: ctx.cwd });
    });
  },
};

const GlobFilesInput = z.object({
  pattern: z.string().min(1).describe('A glob such as `**/*.test.ts` or `src/*.json`.'),
  path: z.string().nullish().describe('The directory to search under; default the working directory.'),
  limit: positive().describe('The most paths to return. Default 1000.'),
});

export const globFilesTool: Tool<z.output<typeof GlobFilesInput>> = {
  name: 'glob_files',
  description: 'Finds files whose paths match a glob, honouring .gitignore; answers one path per line.',
  input: GlobFilesInput,
  aliases: { glob: 'pattern', dir_path: 'path' },
  readOnly: true,
  run: (input, ctx) => {
    const directory = input.path ?? '.';
    return reportedRead(ctx, globCommand(input.pattern, directory), directory, async (hidden) =>
      formatGlobResult(await globFiles(input.pattern, path.resolve(ctx.cwd, directory), { signal: ctx.signal, limit: input.limit ?? undefined, hidden }), { base: ctx.cwd }),
    );
  },
};
