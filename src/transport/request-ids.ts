// vscode-jsonrpc keys queued requests by `String(id)`, so `"0"` and `0` (or a reused id) would
// overwrite each other and one request would never be answered. Each incoming request gets a
// unique internal id at the edge; its response goes out with the client's original id.
import type { WireId } from './classify-line.js';

export class RequestIds {
  private next = 0;
  private readonly original = new Map<number, WireId>();
  /** Latest internal id per client id, for `$/cancelRequest`. */
  private readonly latest = new Map<WireId, number>();

  toInternal(id: WireId): number {
    const internal = this.next++;
    this.original.set(internal, id);
    this.latest.set(id, internal);
    return internal;
  }

  /** The client's id for an internal one (and forgets it: one response per request). */
  toOriginal(internal: unknown): unknown {
    if (typeof internal !== 'number') return internal;
    const id = this.original.get(internal);
    if (id === undefined) return internal;
    this.original.delete(internal);
    if (this.latest.get(id) === internal) this.latest.delete(id);
    return id;
  }

  internalFor(id: WireId): number | undefined {
    return this.latest.get(id);
  }
}
