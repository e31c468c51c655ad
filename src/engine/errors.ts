// Errors the engine raises about the user's request (unknown thread, bad turn id…). Dispatch
// turns them into JSON-RPC errors with Codex's wording; the engine itself never knows the wire.
export class DomainError extends Error {}

export const DomainErrors = {
  threadNotFound: (threadId: string) => new DomainError(`thread not found: ${threadId}`),
  turnNotFound: (turnId: string) => new DomainError(`turn not found: ${turnId}`),
  noActiveTurn: () => new DomainError('no active turn to interrupt'),
  turnRunning: (threadId: string) => new DomainError(`thread ${threadId} has a turn in progress`),
};
