// What a poll of the editor's terminal adds to the command's output (acp-terminal.ts newOutput):
// the editor's snapshot grows at its end, and past its byte limit loses its beginning.
import { describe, expect, it } from 'vitest';
import { newOutput } from '../../../src/server/acp/acp-terminal.js';

describe('newOutput', () => {
  it.each([
    ['nothing yet', '', '', ''],
    ['the first output', '', 'one\n', 'one\n'],
    ['more at the end', 'one\n', 'one\ntwo\n', 'two\n'],
    ['no change', 'one\ntwo\n', 'one\ntwo\n', ''],
    ['the beginning dropped past the limit: what follows what was seen', 'drop\n' + 'kept line\n'.repeat(10), 'kept line\n'.repeat(10) + 'new\n', 'new\n'],
    ['repeated output, dropped: the place where all that was seen continues', 'ab'.repeat(100), 'ab'.repeat(90) + 'c', 'c'],
    ['nothing seen is left: all of it', 'one\n', 'three\n', 'three\n'],
  ])('%s', (_what, before, now, added) => {
    expect(newOutput(before, now)).toBe(added);
  });
});
