// Failure texts for the kinds the fixtures cannot produce from a tree (the rest are in
// fixtures/fail-*/failure.txt): whole texts, paths shown relative to the working directory.
import { describe, expect, it } from 'vitest';
import { formatPatchFailure } from '../../../src/tools/patch/format-failure.js';
import type { PatchFailure } from '../../../src/tools/patch/types.js';

const root = '/work/repo';

describe('formatPatchFailure', () => {
  it.each<[string, PatchFailure, string]>([
    ['a file changed after planning', { kind: 'stale', path: `${root}/a.txt` }, 'a.txt changed on disk after the patch was checked. Nothing was changed. Read it again and resend the patch.'],
    [
      'a write that failed, everything put back',
      { kind: 'writeFailed', path: `${root}/b/c.txt`, message: 'ENOSPC: no space left on device', restored: [`${root}/a.txt`, `${root}/b/c.txt`], notRestored: [] },
      'Writing b/c.txt failed: ENOSPC: no space left on device. The patch was not applied. Put back as they were: a.txt, b/c.txt.',
    ],
    [
      'a write that failed, one file not put back',
      { kind: 'writeFailed', path: `${root}/b.txt`, message: 'EIO: i/o error', restored: [`${root}/b.txt`], notRestored: [{ path: `${root}/a.txt`, message: 'EROFS: read-only file system' }] },
      'Writing b.txt failed: EIO: i/o error. The patch was not applied. Put back as they were: b.txt. Could not put back a.txt: EROFS: read-only file system.',
    ],
    ['an unreadable file', { kind: 'unreadable', path: `${root}/secret`, message: 'EACCES: permission denied' }, 'secret could not be read: EACCES: permission denied. Nothing was changed.'],
    ['an add over a binary file', { kind: 'notText', path: `${root}/logo.png`, op: 'add' }, 'logo.png is not a UTF-8 text file; patches do not overwrite binary files. Nothing was changed.'],
    ['a path outside the working directory, shown absolute', { kind: 'missingFile', path: '/etc/app.conf', op: 'delete' }, '/etc/app.conf: the file to delete does not exist. Nothing was changed.'],
    [
      'hunks out of order',
      {
        kind: 'contextNotFound',
        path: `${root}/x.txt`,
        hunk: 2,
        hunks: 2,
        patchLine: 7,
        sought: 'lines',
        expected: ['a'],
        hunkText: '@@\n-a\n+A',
        searchedFrom: 3,
        nearest: { line: 1, matching: 1 },
        excerpt: { start: 1, lines: ['a', 'b', 'c'] },
        endOfFile: false,
      },
      [
        'x.txt: hunk 2 of 2 (patch line 7) did not apply: its context and removed lines were not found at or after line 3, exactly or ignoring whitespace. Nothing was changed.',
        '',
        'The hunk:\n@@\n-a\n+A',
        '',
        'These lines are at line 1, before where this hunk was sought: hunks must be in file order.',
        '',
        'x.txt now has, lines 1-3:\n 1 | a\n 2 | b\n 3 | c',
        '',
        'Re-read the file if needed, then resend the patch with its context lines copied exactly as they are now.',
      ].join('\n'),
    ],
    [
      'an empty file',
      { kind: 'contextNotFound', path: `${root}/e.txt`, hunk: 1, hunks: 1, patchLine: 3, sought: 'lines', expected: ['x'], hunkText: '@@\n-x', searchedFrom: 1, excerpt: { start: 1, lines: [] }, endOfFile: false },
      [
        'e.txt: hunk 1 of 1 (patch line 3) did not apply: its context and removed lines were not found at or after line 1, exactly or ignoring whitespace. Nothing was changed.',
        '',
        'The hunk:\n@@\n-x',
        '',
        'Nothing in the file resembles these lines.',
        '',
        'e.txt is empty.',
        '',
        'Re-read the file if needed, then resend the patch with its context lines copied exactly as they are now.',
      ].join('\n'),
    ],
  ])('%s', (_name, failure, expected) => {
    expect(formatPatchFailure(failure, root)).toBe(expected);
  });

  it('shows absolute paths without a working directory', () => {
    expect(formatPatchFailure({ kind: 'isDirectory', path: '/work/repo/src', op: 'delete' })).toBe('/work/repo/src is a directory, not a file, so it cannot be deleted. Nothing was changed.');
  });
});
