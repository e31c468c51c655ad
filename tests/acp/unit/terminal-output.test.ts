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
    ['the beginning dropped past the limit: what follows the last stretch seen', 'aaaa-one\n', 'a-one\ntwo\n', 'two\n'],
    ['nothing seen is left: all of it', 'one\n', 'three\n', 'three\n'],
  ])('%s', (_what, before, now, added) => {
    expect(newOutput(before, now)).toBe(added);
  });
});
