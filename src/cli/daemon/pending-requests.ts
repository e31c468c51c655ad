// The client's requests the daemon has not answered yet. On stdin EOF the proxy closes the socket
// only once they are answered, as the stdio server answers every request read before EOF.

type Json = { id?: unknown; method?: unknown; result?: unknown; error?: unknown };

function parse(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

const isId = (id: unknown): id is string | number => typeof id === 'string' || typeof id === 'number';
// 1 and "1" are different ids.
const keyOf = (id: string | number) => JSON.stringify(id);

export class PendingRequests {
  private readonly ids = new Set<string>();

  get size(): number {
    return this.ids.size;
  }

  /** A line the client sent: a request (id and method) now waits for its answer. */
  sent(line: string): void {
    const message = parse(line);
    if (message !== null && isId(message.id) && typeof message.method === 'string') this.ids.add(keyOf(message.id));
  }

  /** A message the daemon sent: a response settles its request. */
  received(text: string): void {
    // A message that starts with its method is a notification or a server request: no parse needed.
    if (this.ids.size === 0 || text.startsWith('{"method"')) return;
    const message = parse(text);
    if (message === null || message.method !== undefined || !isId(message.id)) return;
    if (message.result !== undefined || message.error !== undefined) this.ids.delete(keyOf(message.id));
  }
}
