// The one error type below the wire: what went wrong, as a kind, in words for the user. Config,
// store, engine and server all raise it; only dispatch turns a kind into a JSON-RPC code, so a
// server fault is never mistaken for a bad request.
export type DomainErrorKind =
  /** The request names something that does not exist (thread, turn). */
  | 'notFound'
  /** The request is valid but the thing's current state refuses it (a turn is running). */
  | 'conflict'
  /** The request itself is wrong in a way the schema could not tell; `field` names the culprit. */
  | 'invalid'
  /** Keel cannot serve it right now (the store could not be opened or written). */
  | 'unavailable'
  /** Stored data is damaged (a gap in an event log, an event from a newer Keel). */
  | 'corrupt';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The params field at fault, for `invalid`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

import type { ThreadOwner } from './thread-owner.js';

export type { ThreadOwner } from './thread-owner.js';

/**
 * A change to a thread another live Keel process runs. The server forwards the request to the
 * owner's address when it has one; otherwise the client gets this, naming the owner.
 */
export class OwnedElsewhere extends DomainError {
  constructor(
    readonly threadId: string,
    readonly owner: ThreadOwner,
  ) {
    super('conflict', `thread ${threadId} is run by another Keel process (pid ${owner.pid} on ${owner.host}${owner.address === null ? ', which takes no forwarded requests' : `, at ${owner.address}`}); send this to that process, or retry once it lets the thread go (when it is idle)`);
  }
}

export const DomainErrors = {
  threadNotFound: (threadId: string) => new DomainError('notFound', `thread not found: ${threadId}`),
  turnNotFound: (turnId: string) => new DomainError('notFound', `turn not found: ${turnId}`),
  noActiveTurn: () => new DomainError('conflict', 'no active turn to interrupt'),
  noTurnToSteer: () => new DomainError('conflict', 'no active turn to steer'),
  turnRunning: (threadId: string) => new DomainError('conflict', `thread ${threadId} has a turn in progress`),
  turnAlreadyRunning: (threadId: string, turnId: string) =>
    new DomainError('conflict', `thread ${threadId} already has a turn in progress (${turnId}); steer or interrupt it`),
  invalid: (message: string, field?: string) => new DomainError('invalid', message, field),
  unavailable: (message: string) => new DomainError('unavailable', message),
  corrupt: (message: string) => new DomainError('corrupt', message),
  // issue 25 (meta): sections and attachments, goals
  sectionNotFound: (sectionId: string) => new DomainError('notFound', `thread section not found: ${sectionId}`),
  attachmentNotFound: (threadId: string, attachmentType: string, identityKey: string) =>
    new DomainError('notFound', `thread ${threadId} has no attachment of type ${JSON.stringify(attachmentType)} with identity key ${JSON.stringify(identityKey)}`),
  noGoal: (threadId: string) => new DomainError('invalid', `cannot update goal for thread ${threadId}: no goal exists`),
};
