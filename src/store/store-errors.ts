// What the store's failures mean, in words. SQLite's result codes and the file system's errno codes
// become DomainErrors that name the database and the cause — a damaged file is `corrupt`; a full
// disk, a read-only file or directory, a lock held elsewhere or an I/O error is `unavailable` — so
// a client reads what to fix instead of "Internal error". Dispatch answers both with -32603.
import { DomainError } from '../kernel/errors.js';

type Kind = 'corrupt' | 'unavailable';

/** By SQLite result code, most specific first (extended codes extend the primary's name). */
const SQLITE_CAUSES: ReadonlyArray<[code: string, kind: Kind, cause: string]> = [
  ['SQLITE_CORRUPT', 'corrupt', 'is damaged'],
  ['SQLITE_NOTADB', 'corrupt', 'is not a database, or its header is damaged'],
  ['SQLITE_FULL', 'unavailable', 'cannot grow: its disk is full'],
  ['SQLITE_READONLY_DIRECTORY', 'unavailable', 'cannot be written: its directory is read-only'],
  ['SQLITE_READONLY', 'unavailable', 'is read-only'],
  ['SQLITE_CANTOPEN', 'unavailable', 'cannot be opened'],
  ['SQLITE_BUSY', 'unavailable', 'is busy: another process holds its write lock'],
  ['SQLITE_LOCKED', 'unavailable', 'is busy: another process holds its write lock'],
  ['SQLITE_IOERR', 'unavailable', 'could not be read or written: the disk reported an I/O error'],
  ['SQLITE_PERM', 'unavailable', 'cannot be accessed: permission denied'],
];

/** By errno, for the files the store makes itself (the database file, its lock). */
const FILE_CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EIO: 'the disk reported an I/O error',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/**
 * `error` as a DomainError naming `file` and the cause, when it is SQLite's or the file system's;
 * anything else (a DomainError already, a bug) is returned as it is.
 */
export function storeError(error: unknown, file: string): unknown {
  if (error instanceof DomainError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_')) {
    const known = SQLITE_CAUSES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
    // An unlisted code (a constraint, say) still answers in SQLite's words, not "Internal error".
    if (known === undefined) return new DomainError('unavailable', error.message);
    const [, kind, cause] = known;
    return new DomainError(kind, `the thread database ${file} ${cause} (${code}: ${error.message})`);
  }
  const cause = FILE_CAUSES[code];
  if (cause === undefined) return error;
  const { syscall, path } = error as NodeJS.ErrnoException;
  return new DomainError('unavailable', `cannot ${syscall ?? 'use'} ${path ?? file}: ${cause} (${code})`);
}

/** Runs a store operation, its failures in words (`storeError`). */
export function inWords<T>(file: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw storeError(error, file);
  }
}
