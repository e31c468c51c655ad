// Driving approvals and other server requests from a test client: wait for Keel's request, answer
// it, and look at the messages around it.
import type { IncomingMessage, KeelProcess } from './keel-process.js';
import { params } from './turns.js';

/** A server request (it has both a method and an id). */
export const isServerRequest = (m: IncomingMessage, method: string) => m.method === method && m.id !== undefined;

/** Waits for Keel's next `method` request and answers it with `result`; returns the request. */
export async function answerRequest(keel: KeelProcess, method: string, result: unknown): Promise<IncomingMessage> {
  const request = await keel.waitFor((m) => isServerRequest(m, method));
  keel.sendLine(JSON.stringify({ id: request.id, result }));
  return request;
}

/** The thread status notifications of a message list, as `[type, flags]`. */
export const statuses = (seq: readonly IncomingMessage[]) =>
  seq.filter((m) => m.method === 'thread/status/changed').map((m) => [params(m).status.type, params(m).status.activeFlags ?? null]);

/** The messages from the first matching `from` to the first matching `to` after it, inclusive. */
export function between(seq: readonly IncomingMessage[], from: (m: IncomingMessage) => boolean, to: (m: IncomingMessage) => boolean): IncomingMessage[] {
  const start = seq.findIndex(from);
  if (start === -1) return [];
  const end = seq.findIndex((m, i) => i > start && to(m));
  return seq.slice(start, end === -1 ? undefined : end + 1);
}
