// One line Keel wrote on stdout, as the harness takes it in: parsed, checked for conformance, then
// delivered to the test. The check must never cost the test its message: a check that throws is
// itself recorded as a violation (rule "checker") and the message is delivered all the same;
// otherwise the test would wait for it and fail with a misleading timeout.
import { checkServerMessage, recordViolation, type MessageContext } from './conformance.js';
import { isResponse, isWireId, type IncomingMessage, type WireId } from './message-inbox.js';

/** What checks one parsed line; `checkServerMessage` unless a test injects another. */
export type ServerMessageCheck = (message: unknown, context: MessageContext) => unknown;

export interface LineSink {
  /** The method the client sent the request with id `id` under, if it did. */
  requestMethodOf(id: WireId): string | undefined;
  deliver(message: IncomingMessage): void;
}

function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function takeServerLine(line: string, sink: LineSink, check: ServerMessageCheck = checkServerMessage): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    recordViolation('wire', 'stdout line is not JSON', line);
    return;
  }
  // Non-objects are checked (and so recorded) but never delivered: tests only ever see objects.
  const message = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as IncomingMessage) : undefined;
  const requestMethod = message && isResponse(message) && isWireId(message.id) ? sink.requestMethodOf(message.id) : undefined;
  try {
    check(parsed, { requestMethod });
  } catch (error) {
    recordViolation('checker', `the conformance check threw ${describeThrown(error)}`, parsed);
  }
  if (message !== undefined) sink.deliver(message);
}
