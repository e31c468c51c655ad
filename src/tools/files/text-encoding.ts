// How Keel reads a file as text, as ripgrep does by default: UTF-8 (a byte order mark dropped,
// bytes that are not UTF-8 shown as U+FFFD), or UTF-16 when the file starts with a UTF-16 byte order
// mark. A file with a NUL character (after decoding) is binary.
import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** How much of a file's start readFileRange looks at for a NUL (as git and grep do). */
export const BINARY_SNIFF_BYTES = 8 * 1024;

export function sniffEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** A streaming decoder for the encoding; it drops a leading byte order mark. */
export function textDecoder(encoding: TextEncoding): TextDecoder {
  return new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
}

/** Whether these bytes (the start of a file, or all of it) hold a NUL once decoded. */
export function holdsNul(bytes: Uint8Array, encoding: TextEncoding): boolean {
  if (encoding === 'utf-8') return bytes.indexOf(0) !== -1;
  return textDecoder(encoding).decode(bytes.subarray(0, bytes.length - (bytes.length % 2))).includes('\0');
}
