// Sending a console request and remembering it: what was sent, when, how long the answer took and
// what it was; the last few listed, each loadable back into the form.
import type { InspectorModel } from '../model/inspector-model.js';
import { KeelRpcError } from '../../../typescript/rpc-error.js';

export interface SentRequest {
  method: string;
  params: unknown;
  atMs: number;
  tookMs: number;
  outcome: { kind: 'result'; result: unknown } | { kind: 'error'; error: { code: number; message: string; data?: unknown } };
}

/** Sends `method` with `params` as they are (no client-side checks: the server's answer is the point). */
export async function sendConsoleRequest(model: InspectorModel, method: string, params: unknown): Promise<SentRequest> {
  const atMs = Date.now();
  const started = performance.now();
  let outcome: SentRequest['outcome'];
  try {
    if (model.connection === null) throw new Error('not connected');
    outcome = { kind: 'result', result: await model.connection.requestUntyped(method, params) };
  } catch (error) {
    const rpc = error instanceof KeelRpcError ? error : null;
    outcome = { kind: 'error', error: { code: rpc?.code ?? 0, message: (error as Error).message, ...(rpc?.data !== undefined ? { data: rpc.data } : {}) } };
  }
  return { method, params, atMs, tookMs: Math.round(performance.now() - started), outcome };
}

export function ConsoleHistory({ history, onLoad }: { history: readonly SentRequest[]; onLoad: (sent: SentRequest) => void }) {
  if (history.length === 0) return null;
  return (
    <section class="console-history" aria-label="Sent requests">
      <h3>Sent requests</h3>
      <ol>
        {history.map((sent, index) => (
          // Entries hold no state of their own, so the position is key enough.
          <li key={index}>
            <button type="button" onClick={() => onLoad(sent)} aria-label={`Load ${sent.method} sent at ${new Date(sent.atMs).toLocaleTimeString()} into the form`}>
              {sent.method}
            </button>{' '}
            <span class={sent.outcome.kind === 'error' ? 'form-error' : 'console-ok'}>{sent.outcome.kind === 'error' ? `error ${sent.outcome.error.code}` : 'ok'}</span>{' '}
            <span class="form-hint">
              {new Date(sent.atMs).toLocaleTimeString()}, {sent.tookMs} ms
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
