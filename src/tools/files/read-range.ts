// A window of a text file's lines for the model: from line `offset` (1-based), at most `limit`
// lines and `maxBytes` bytes of text (UTF-8, a newline counted per line), each line cut at
// `maxLineChars` characters. The file is read once, in chunks, and all of it, so that the answer can
// say how many lines there are; memory stays bounded by the window (a line is kept only up to its
// cut, however long it runs). A file with a NUL in its first 8 KiB is reported as binary, unread.
// Only regular files are read (regular-file.ts). Line endings are `\n`; a `\r` before it is dropped.
import { fsError } from './fs-errors.js';
import { absolutePath, positiveInteger } from './options.js';
import type { HiddenPaths } from './hidden-paths.js';
import { openRegularFile, readAt } from './regular-file.js';
import { BINARY_SNIFF_BYTES, holdsNul, sniffEncoding, textDecoder } from './text-encoding.js';

export const READ_DEFAULTS = {
  limit: 2000,
  maxBytes: 64 * 1024,
  maxLineChars: 2000,
} as const;

const CHUNK_BYTES = 256 * 1024;

export interface ReadRangeOptions {
  signal: AbortSignal;
  /** First line to return, 1-based. Default 1. */
  offset?: number;
  /** Most lines to return. Default 2000. */
  limit?: number;
  /** Most bytes of text to return (UTF-8, newlines counted). Default 64 KiB. At least one line is returned, cut to fit. */
  maxBytes?: number;
  /** Longer lines are cut to this many characters. Default 2000. */
  maxLineChars?: number;
  /** Refused once open when the file really lies in one of these (Keel's home, its database). */
  hidden?: HiddenPaths;
  /**
   * The file's text from elsewhere — the editor's buffer, saved or not (tools/workspace.ts) — read
   * once the file on disk has passed the checks (hidden, regular, not binary); when it rejects, the
   * disk's text is read.
   */
  text?: (file: string) => Promise<string>;
}

export interface TextRange {
  kind: 'text';
  path: string;
  sizeBytes: number;
  /** The number of `lines[0]`. */
  offset: number;
  lines: string[];
  totalLines: number;
  /** Numbers of the returned lines that were cut (too long, or alone over `maxBytes`). */
  cutLines: number[];
  /** Set when lines after the window were left out: why, and the offset to read on from. */
  truncated: { reason: 'limit' | 'maxBytes'; nextOffset: number } | null;
}

export interface BinaryFile {
  kind: 'binary';
  path: string;
  sizeBytes: number;
}

export type FileRange = TextRange | BinaryFile;


/** At most `max` characters of `text`, never splitting a surrogate pair. */
function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, end);
}

/** At most `maxBytes` bytes of `text` as UTF-8, never splitting a character. */
function cutBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** Collects the lines of the window as the text streams by; counts the rest. */
class LineWindow {
  readonly lines: string[] = [];
  readonly cutLines: number[] = [];
  completed = 0;
  stoppedBy: 'limit' | 'maxBytes' | null = null;
  private head = '';
  private started = false;
  private bytes = 0;

  constructor(
    private readonly offset: number,
    private readonly limit: number,
    private readonly maxBytes: number,
    private readonly maxLineChars: number,
  ) {}

  private get collecting(): boolean {
    return this.stoppedBy === null && this.completed + 1 >= this.offset;
  }

  push(text: string): void {
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      if (end > start) {
        this.started = true;
        // Only what the cut keeps (and one more character, to know it was cut) is held.
        if (this.collecting && this.head.length <= this.maxLineChars) this.head += text.slice(start, Math.min(end, start + this.maxLineChars + 1 - this.head.length));
      }
      if (newline === -1) return;
      this.completeLine(true);
      start = newline + 1;
    }
  }

  end(): void {
    if (this.started) this.completeLine(false);
  }

  private completeLine(terminated: boolean): void {
    const number = this.completed + 1;
    if (this.collecting) this.take(number, terminated);
    this.completed = number;
    this.head = '';
    this.started = false;
  }

  private take(number: number, terminated: boolean): void {
    if (this.lines.length === this.limit) {
      this.stoppedBy = 'limit';
      return;
    }
    let line = terminated && this.head.endsWith('\r') ? this.head.slice(0, -1) : this.head;
    let cut = false;
    if (line.length > this.maxLineChars) {
      line = cutChars(line, this.maxLineChars);
      cut = true;
    }
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (this.bytes + size > this.maxBytes) {
      if (this.lines.length > 0) {
        this.stoppedBy = 'maxBytes';
        return;
      }
      line = cutBytes(line, this.maxBytes - 1);
      cut = true;
    }
    this.bytes += size;
    this.lines.push(line);
    if (cut) this.cutLines.push(number);
  }
}

function textRange(file: string, sizeBytes: number, offset: number, window: LineWindow): TextRange {
  const last = offset + window.lines.length - 1;
  const truncated = window.stoppedBy !== null && last < window.completed ? { reason: window.stoppedBy, nextOffset: last + 1 } : null;
  return { kind: 'text', path: file, sizeBytes, offset, lines: window.lines, totalLines: window.completed, cutLines: window.cutLines, truncated };
}

export async function readFileRange(input: string, options: ReadRangeOptions): Promise<FileRange> {
  const file = absolutePath(input);
  const offset = positiveInteger(options.offset, 1, 'offset');
  const limit = positiveInteger(options.limit, READ_DEFAULTS.limit, 'limit');
  const maxBytes = positiveInteger(options.maxBytes, READ_DEFAULTS.maxBytes, 'maxBytes');
  const maxLineChars = positiveInteger(options.maxLineChars, READ_DEFAULTS.maxLineChars, 'maxLineChars');
  options.signal.throwIfAborted();
  const { handle, stat } = await openRegularFile(file, options.hidden);
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let position = 0;
    let read = await readAt(handle, buffer, position);
    const encoding = sniffEncoding(buffer.subarray(0, read));
    if (holdsNul(buffer.subarray(0, Math.min(read, BINARY_SNIFF_BYTES)), encoding)) return { kind: 'binary', path: file, sizeBytes: stat.size };
    const window = new LineWindow(offset, limit, maxBytes, maxLineChars);
    const lent = options.text === undefined ? null : await options.text(file).catch(() => null);
    if (lent !== null) {
      window.push(lent);
      window.end();
      return textRange(file, Buffer.byteLength(lent, 'utf8'), offset, window);
    }
    const decoder = textDecoder(encoding);
    while (read > 0) {
      window.push(decoder.decode(buffer.subarray(0, read), { stream: true }));
      position += read;
      options.signal.throwIfAborted();
      read = await readAt(handle, buffer, position);
    }
    window.push(decoder.decode());
    window.end();
    return textRange(file, position, offset, window);
  } catch (error) {
    throw fsError('read', file, error);
  } finally {
    await handle.close();
  }
}
