/** A thread's event log is missing a sequence number: replay refuses it rather than guess. */
export class EventLogGapError extends Error {
  constructor(threadId: string, expected: number, found: number) {
    super(`event log of thread ${threadId} has a gap: expected seq ${expected}, found ${found}`);
  }
}
