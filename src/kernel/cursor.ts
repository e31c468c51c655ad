// Opaque pagination cursors: base64url JSON that names what it continues from. A cursor that
// does not decode, or belongs to another listing, is a clear error rather than a silent restart.
import { DomainError } from './errors.js';

export function invalidCursor(cursor: string, field = 'cursor'): DomainError {
  return new DomainError('invalid', `invalid cursor: ${cursor.length > 80 ? cursor.slice(0, 80) + '…' : cursor}`, field);
}

export function encodeCursor(kind: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, p: position })).toString('base64url');
}

export function decodeCursor<T>(cursor: string, kind: string, valid: (position: unknown) => position is T): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(cursor);
  }
  if (typeof decoded !== 'object' || decoded === null) throw invalidCursor(cursor);
  const { k, p } = decoded as { k?: unknown; p?: unknown };
  if (k !== kind || !valid(p)) throw invalidCursor(cursor);
  return p;
}
