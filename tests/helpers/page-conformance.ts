// What a Keel sends the Inspector page, checked against the protocol's schema as the page receives
// it: every WebSocket frame the browser gets goes through checkServerMessage (tests/helpers/
// conformance.ts), so a browser test proves the wire too, not only the page. A response is checked
// against the result type of the request it answers, which is known from the frames the page sent
// (tracked by id). Violations are also recorded where conformance-hook.ts fails the test on them.
import type { Page, WebSocket as PageSocket } from 'playwright-core';
import { checkServerMessage, type Violation } from './conformance.js';

export interface PageConformance {
  /** How many frames from the server were checked so far. */
  readonly checked: number;
  /** Every method seen in frames from the server (notifications and server requests). */
  readonly methods: ReadonlySet<string>;
  readonly violations: readonly Violation[];
}

/** Starts checking every frame `page`'s WebSockets receive; call before the page connects. */
export function checkPageFrames(page: Page): PageConformance {
  const state = { checked: 0, methods: new Set<string>(), violations: [] as Violation[] };
  page.on('websocket', (socket) => watch(socket, state));
  return state;
}

function watch(socket: PageSocket, state: { checked: number; methods: Set<string>; violations: Violation[] }): void {
  // Ids of the page's own requests → their methods; an answer is checked against its request.
  const sentMethods = new Map<string, string>();
  socket.on('framesent', ({ payload }) => {
    const message = parse(payload);
    if (message !== null && typeof message.method === 'string' && 'id' in message) sentMethods.set(JSON.stringify(message.id), message.method);
  });
  socket.on('framereceived', ({ payload }) => {
    const message = parse(payload);
    if (message === null) {
      state.violations.push({ rule: 'wire', detail: 'a frame must hold one JSON object', message: String(payload).slice(0, 200) });
      return;
    }
    let requestMethod: string | undefined;
    if (typeof message.method === 'string') state.methods.add(message.method);
    else if ('id' in message) {
      const key = JSON.stringify(message.id);
      requestMethod = sentMethods.get(key);
      sentMethods.delete(key);
    }
    state.checked++;
    state.violations.push(...checkServerMessage(message, { requestMethod }));
  });
}

function parse(payload: string | Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload.toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
