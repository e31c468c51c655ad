// A file system error in words that name the path and the cause, with the kind dispatch maps to a
// code: a missing path is `notFound`; a path whose state refuses the operation (a directory where a
// file was expected, permission denied, already there, not empty) is `conflict`; anything else the
// system reports (an I/O error, a full disk, too many open files) is `unavailable`.
import { DomainError, type DomainErrorKind } from '../../kernel/errors.js';

const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EXDEV: 'crosses file systems',
  EBUSY: 'resource busy',
  ETXTBSY: 'text file busy',
  ENXIO: 'no such device or address (a FIFO with no reader?)',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'I/O error',
};

const CONFLICTS = new Set(['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY', 'EACCES', 'EPERM', 'EROFS', 'ELOOP', 'ENAMETOOLONG', 'EXDEV', 'EBUSY', 'ETXTBSY', 'ENXIO']);

export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `cannot <action> <path>: <cause> (<CODE>)`; an error that is already a DomainError (or an abort) passes through. */
export function fsError(action: string, file: string, error: unknown): Error {
  if (error instanceof DomainError) return error;
  if ((error as Error | null)?.name === 'AbortError') return error as Error;
  const code = errnoOf(error);
  const cause = code === undefined ? (error as Error).message : `${CAUSES[code] ?? (error as Error).message} (${code})`;
  const kind: DomainErrorKind = code === 'ENOENT' ? 'notFound' : code !== undefined && CONFLICTS.has(code) ? 'conflict' : 'unavailable';
  return new DomainError(kind, `cannot ${action} ${file}: ${cause}`);
}

/** A refusal that is not an errno: `<path> <what>` (e.g. "/dev/zero is not a regular file"), as `conflict`. */
export function refused(file: string, what: string): DomainError {
  return new DomainError('conflict', `${file} ${what}`);
}
