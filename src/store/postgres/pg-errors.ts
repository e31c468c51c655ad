// What PostgreSQL's failures mean, in words (as store-errors.ts does for SQLite): the server's
// SQLSTATE codes, the socket's errno codes and the pool's own messages become DomainErrors naming
// the database and the cause, so a client reads "the server restarted" instead of "Internal error".
// A lost or refused connection is `unavailable`: the pool opens a new one for the next request.
import { DomainError } from '../../kernel/errors.js';

/** By SQLSTATE class (the first two characters) or whole code, most specific first. */
const SQLSTATE_CAUSES: ReadonlyArray<[prefix: string, cause: string]> = [
  ['57014', 'did not answer within the statement timeout'],
  ['57P01', 'was shut down or restarted while Keel was using it'],
  ['57P02', 'was shut down or restarted while Keel was using it'],
  ['57P03', 'is starting up or shutting down and takes no connections now'],
  ['3D000', 'does not exist'],
  ['53300', 'has no connection to spare (too many clients)'],
  ['08', 'lost the connection'],
  ['28', 'refused Keel\'s credentials'],
  ['53', 'ran out of resources (disk, memory or connections)'],
  ['40', 'rolled the transaction back (a serialization failure or deadlock)'],
  ['42', 'does not have the schema this Keel expects'],
  ['25006', 'is read-only'],
];

const ERRNO_CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused the connection (is the server running?)',
  ENOENT: 'cannot be reached: its socket does not exist (is the server running?)',
  ECONNRESET: 'closed the connection',
  EPIPE: 'closed the connection',
  ETIMEDOUT: 'did not answer in time',
  EHOSTUNREACH: 'cannot be reached',
  ENOTFOUND: 'cannot be reached: its host name does not resolve',
  EACCES: 'cannot be reached: permission denied on its socket',
};

/** The pool's and the driver's failures that carry no code, by their message. */
const MESSAGE_CAUSES: ReadonlyArray<[pattern: RegExp, cause: string]> = [
  [/is not currently accepting connections/i, 'is not accepting connections (down, or being restarted)'],
  [/timeout exceeded when trying to connect/i, 'did not accept a connection within the connect timeout'],
  [/Connection terminated/i, 'lost the connection'],
  [/Client has encountered a connection error/i, 'lost the connection'],
  [/Cannot use a pool after calling end/i, 'is closed (Keel is shutting down)'],
];

/** Failures that say the connection went or could not be had (not that the statement was wrong): worth trying again on a new one. */
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const LOST_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|is not currently accepting connections|Client has encountered a connection error/i;

/** Whether `error` (as the driver threw it) means the database was out of reach, rather than that it refused what was asked. */
export function connectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && LOST_CODES.has(code)) || LOST_MESSAGES.test(error.message);
}

/** `postgres://user:secret@host/db` as the errors name it: no password. */
export function describeUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/**
 * `error` as a DomainError naming the database and the cause when it is PostgreSQL's, the socket's
 * or the pool's; anything else (a DomainError already, a bug) is returned as it is.
 */
export function pgError(error: unknown, where: string): unknown {
  if (error instanceof DomainError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const what = `the thread database ${where}`;
  const byMessage = MESSAGE_CAUSES.find(([pattern]) => pattern.test(error.message));
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && byMessage === undefined) {
    const known = SQLSTATE_CAUSES.find(([prefix]) => code.startsWith(prefix));
    return new DomainError('unavailable', `${what} ${known?.[1] ?? 'refused the request'} (PostgreSQL ${code}: ${error.message})`);
  }
  if (typeof code === 'string' && ERRNO_CAUSES[code] !== undefined) {
    return new DomainError('unavailable', `${what} ${ERRNO_CAUSES[code]} (${code}: ${error.message})`);
  }
  if (byMessage !== undefined) return new DomainError('unavailable', `${what} ${byMessage[1]} (${typeof code === 'string' ? `${code}: ` : ''}${error.message})`);
  return error;
}

/** Runs a store operation, its failures in words (`pgError`). */
export async function pgInWords<T>(where: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw pgError(error, where);
  }
}
