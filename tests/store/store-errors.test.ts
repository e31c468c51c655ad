// The store's failures in words: SQLite's result codes and errno codes to a kind and a message that
// names the database and the cause. Faults the other tests cannot inject (an I/O error, a full
// file system under the lock file) are checked here as a table.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DomainError, DomainErrors } from '../../src/kernel/errors.js';
import { storeError } from '../../src/store/store-errors.js';

const file = '/home/me/.keel/keel.db';
const sqlite = (code: string, message: string) => new Database.SqliteError(message, code);
const errno = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });

describe('storeError', () => {
  const table: Array<[Error, DomainError['kind'], string]> = [
    [sqlite('SQLITE_CORRUPT', 'database disk image is malformed'), 'corrupt', `the thread database ${file} is damaged (SQLITE_CORRUPT: database disk image is malformed)`],
    [sqlite('SQLITE_CORRUPT_INDEX', 'database disk image is malformed'), 'corrupt', `the thread database ${file} is damaged (SQLITE_CORRUPT_INDEX: database disk image is malformed)`],
    [sqlite('SQLITE_NOTADB', 'file is not a database'), 'corrupt', `the thread database ${file} is not a database, or its header is damaged (SQLITE_NOTADB: file is not a database)`],
    [sqlite('SQLITE_FULL', 'database or disk is full'), 'unavailable', `the thread database ${file} cannot grow: its disk is full (SQLITE_FULL: database or disk is full)`],
    [sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'), 'unavailable', `the thread database ${file} could not be read or written: the disk reported an I/O error (SQLITE_IOERR_WRITE: disk I/O error)`],
    [sqlite('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'), 'unavailable', `the thread database ${file} is read-only (SQLITE_READONLY_DBMOVED: attempt to write a readonly database)`],
    [sqlite('SQLITE_CANTOPEN', 'unable to open database file'), 'unavailable', `the thread database ${file} cannot be opened (SQLITE_CANTOPEN: unable to open database file)`],
    [sqlite('SQLITE_BUSY_SNAPSHOT', 'database is locked'), 'unavailable', `the thread database ${file} is busy: another process holds its write lock (SQLITE_BUSY_SNAPSHOT: database is locked)`],
    [sqlite('SQLITE_CONSTRAINT_TRIGGER', 'refused by a trigger'), 'unavailable', 'refused by a trigger'],
    [errno('ENOSPC', 'open', `${file}.lock.1.tmp`), 'unavailable', `cannot open ${file}.lock.1.tmp: no space left on the disk (ENOSPC)`],
    [errno('EROFS', 'mkdir', '/home/me/.keel'), 'unavailable', 'cannot mkdir /home/me/.keel: read-only file system (EROFS)'],
  ];
  for (const [error, kind, message] of table) {
    it(`${(error as unknown as { code: string }).code} → ${kind}`, () => {
      const mapped = storeError(error, file);
      expect(mapped).toBeInstanceOf(DomainError);
      expect({ kind: (mapped as DomainError).kind, message: (mapped as DomainError).message }).toEqual({ kind, message });
    });
  }

  it('leaves domain errors and errors that are neither SQLite’s nor the file system’s as they are', () => {
    const gap = DomainErrors.corrupt('event log of thread t has a gap');
    const bug = new TypeError('x is undefined');
    const otherErrno = errno('EMFILE', 'open', file);
    expect(storeError(gap, file)).toBe(gap);
    expect(storeError(bug, file)).toBe(bug);
    expect(storeError(otherErrno, file)).toBe(otherErrno);
  });
});
