// readFileRange: windows of lines within a line limit and a byte budget, binary detection, only
// regular files, and the `cat -n` text the model reads.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFileRange, numberLines } from '../../../src/tools/files/format.js';
import { readFileRange, type FileRange, type ReadRangeOptions } from '../../../src/tools/files/read-range.js';
import { cleanTreesAfterEach, makeTree, signal } from './tree.js';

cleanTreesAfterEach();

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

interface Case {
  name: string;
  content: string | Buffer;
  options?: Omit<ReadRangeOptions, 'signal'>;
  expected: Omit<Extract<FileRange, { kind: 'text' }>, 'path' | 'kind' | 'sizeBytes'>;
}

const cases: Case[] = [
  { name: 'a whole small file', content: 'a\nb\nc\n', expected: { offset: 1, lines: ['a', 'b', 'c'], totalLines: 3, cutLines: [], truncated: null } },
  { name: 'a last line without a newline', content: 'a\nb', expected: { offset: 1, lines: ['a', 'b'], totalLines: 2, cutLines: [], truncated: null } },
  { name: 'an empty file', content: '', expected: { offset: 1, lines: [], totalLines: 0, cutLines: [], truncated: null } },
  { name: 'blank lines count', content: '\n\n', expected: { offset: 1, lines: ['', ''], totalLines: 2, cutLines: [], truncated: null } },
  { name: 'CRLF endings are dropped', content: 'a\r\nb\r\n', expected: { offset: 1, lines: ['a', 'b'], totalLines: 2, cutLines: [], truncated: null } },
  {
    name: 'a window by offset and limit',
    content: `${lines(10).join('\n')}\n`,
    options: { offset: 4, limit: 3 },
    expected: { offset: 4, lines: ['line 4', 'line 5', 'line 6'], totalLines: 10, cutLines: [], truncated: { reason: 'limit', nextOffset: 7 } },
  },
  {
    name: 'a window that reaches the end is not truncated',
    content: `${lines(10).join('\n')}\n`,
    options: { offset: 8, limit: 3 },
    expected: { offset: 8, lines: ['line 8', 'line 9', 'line 10'], totalLines: 10, cutLines: [], truncated: null },
  },
  {
    name: 'an offset past the end',
    content: 'a\nb\n',
    options: { offset: 5 },
    expected: { offset: 5, lines: [], totalLines: 2, cutLines: [], truncated: null },
  },
  {
    name: 'the byte budget counts UTF-8 bytes and a newline per line',
    content: 'ééé\nabc\ndef\n',
    // 'ééé\n' is 7 bytes, 'abc\n' 4: 11 fit in 11, 'def' does not.
    options: { maxBytes: 11 },
    expected: { offset: 1, lines: ['ééé', 'abc'], totalLines: 3, cutLines: [], truncated: { reason: 'maxBytes', nextOffset: 3 } },
  },
  {
    name: 'a first line alone over the budget is cut to fit, never inside a character',
    content: `${'é'.repeat(10)}\nnext\n`,
    options: { maxBytes: 6 },
    expected: { offset: 1, lines: ['éé'], totalLines: 2, cutLines: [1], truncated: { reason: 'maxBytes', nextOffset: 2 } },
  },
  {
    name: 'long lines are cut at maxLineChars, never inside a surrogate pair',
    content: `${'x'.repeat(5)}\n${'😀'.repeat(4)}\nshort\n`,
    options: { maxLineChars: 3 },
    expected: { offset: 1, lines: ['xxx', '😀', 'sho'], totalLines: 3, cutLines: [1, 2, 3], truncated: null },
  },
  {
    name: 'a UTF-16 file with a byte order mark is text',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\nworld\n', 'utf16le')]),
    expected: { offset: 1, lines: ['héllo', 'world'], totalLines: 2, cutLines: [], truncated: null },
  },
  {
    name: 'a UTF-8 byte order mark is dropped; bytes that are not UTF-8 read as U+FFFD',
    content: Buffer.concat([Buffer.from('\uFEFFok\n'), Buffer.from([0xff, 0x41, 0x0a])]),
    expected: { offset: 1, lines: ['ok', '\uFFFDA'], totalLines: 2, cutLines: [], truncated: null },
  },
];

describe('readFileRange', () => {
  it.each(cases)('$name', async ({ content, options, expected }) => {
    const file = path.join(makeTree({ f: content }), 'f');
    const size = Buffer.isBuffer(content) ? content.length : Buffer.byteLength(content);
    expect(await readFileRange(file, { ...options, signal: signal() })).toEqual({ kind: 'text', path: file, sizeBytes: size, ...expected });
  });

  it('reads a file larger than its chunks, counting every line, holding only the window', async () => {
    const all = lines(200_000);
    const file = path.join(makeTree({ big: `${all.join('\n')}\n` }), 'big');
    const range = await readFileRange(file, { offset: 150_000, limit: 2, signal: signal() });
    expect(range).toMatchObject({ kind: 'text', lines: ['line 150000', 'line 150001'], totalLines: 200_000, truncated: { reason: 'limit', nextOffset: 150_002 } });
  });

  it('keeps only the cut of a line many megabytes long', async () => {
    const file = path.join(makeTree({ huge: `${'y'.repeat(5 * 1024 * 1024)}\nend\n` }), 'huge');
    expect(await readFileRange(file, { signal: signal() })).toMatchObject({ lines: ['y'.repeat(2000), 'end'], totalLines: 2, cutLines: [1] });
  });

  it('reports a file with a NUL in its first 8 KiB as binary, unread', async () => {
    const file = path.join(makeTree({ bin: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) }), 'bin');
    const range = await readFileRange(file, { signal: signal() });
    expect(range).toEqual({ kind: 'binary', path: file, sizeBytes: 6 });
    expect(formatFileRange(range)).toBe('binary file, 6 bytes');
  });

  it('a NUL past the first 8 KiB does not make a file binary', async () => {
    const file = path.join(makeTree({ late: Buffer.concat([Buffer.from(`${'a'.repeat(9000)}\n`), Buffer.from([0x00, 0x0a])]) }), 'late');
    expect(await readFileRange(file, { signal: signal() })).toMatchObject({ kind: 'text', totalLines: 2 });
  });

  it('refuses a FIFO, a device and a directory without blocking, and names a missing file', async () => {
    const root = makeTree({});
    const fifo = path.join(root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    fs.symlinkSync('/dev/zero', path.join(root, 'zero'));
    await expect(readFileRange(fifo, { signal: signal() })).rejects.toMatchObject({ kind: 'conflict', message: `${fifo} is not a regular file` });
    await expect(readFileRange(path.join(root, 'zero'), { signal: signal() })).rejects.toMatchObject({ kind: 'conflict', message: `${root}/zero is not a regular file` });
    await expect(readFileRange(root, { signal: signal() })).rejects.toMatchObject({ kind: 'conflict', message: `${root} is a directory` });
    await expect(readFileRange(path.join(root, 'missing'), { signal: signal() })).rejects.toMatchObject({
      kind: 'notFound',
      message: `cannot read ${root}/missing: no such file or directory (ENOENT)`,
    });
  });

  it('refuses options that are not positive integers, naming them', async () => {
    const file = path.join(makeTree({ f: 'a\n' }), 'f');
    await expect(readFileRange(file, { offset: 0, signal: signal() })).rejects.toMatchObject({ kind: 'invalid', field: 'offset', message: 'must be a positive integer, got 0' });
    await expect(readFileRange('f', { signal: signal() })).rejects.toMatchObject({ kind: 'invalid', field: 'path' });
  });

  it('stops when its signal aborts', async () => {
    const file = path.join(makeTree({ f: 'a\n' }), 'f');
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    await expect(readFileRange(file, { signal: controller.signal })).rejects.toThrow('interrupted');
  });
});

describe('formatFileRange', () => {
  const text = (range: Partial<Extract<FileRange, { kind: 'text' }>>): FileRange => ({
    kind: 'text',
    path: '/f',
    sizeBytes: 0,
    offset: 1,
    lines: [],
    totalLines: 0,
    cutLines: [],
    truncated: null,
    ...range,
  });

  it.each<[string, FileRange, string]>([
    ['numbers lines like cat -n', text({ lines: ['a', 'b'], totalLines: 2 }), '     1\ta\n     2\tb'],
    ['an empty file', text({}), '(empty file)'],
    ['an offset past the end', text({ offset: 9, totalLines: 3 }), '(offset 9 is past the end of the file: it has 3 lines)'],
    [
      'says where to read on',
      text({ offset: 4, lines: ['d', 'e'], totalLines: 2500, truncated: { reason: 'limit', nextOffset: 6 } }),
      '     4\td\n     5\te\n… showing lines 4-5 of 2500 (the line limit); read on with offset 6',
    ],
    [
      'names cut lines and the size limit',
      text({ lines: ['xxx'], totalLines: 2, cutLines: [1], truncated: { reason: 'maxBytes', nextOffset: 2 } }),
      '     1\txxx\n… line 1 cut short; showing lines 1-1 of 2 (the size limit); read on with offset 2',
    ],
  ])('%s', (_name, range, expected) => {
    expect(formatFileRange(range)).toBe(expected);
  });

  it('numberLines pads to six columns', () => {
    expect(numberLines(['x'], 123456)).toBe('123456\tx');
  });
});
