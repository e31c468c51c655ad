// One output stream of a client's command up to its cap: kept for the result, or handed out as it
// arrives (streamed), never both.
import { StringDecoder } from 'node:string_decoder';

export class OutputCapture {
  private readonly chunks: Buffer[] = [];
  private seen = 0;
  private reached = false;

  constructor(
    /** Bytes kept or handed out at most; null: no cap. */
    private readonly cap: number | null,
    private readonly keep: boolean,
  ) {}

  /** What of `bytes` is within the cap, and whether the cap is now reached; null once it was. */
  take(bytes: Buffer): { bytes: Buffer; capReached: boolean } | null {
    if (this.reached) return null;
    const part = this.cap === null ? bytes : bytes.subarray(0, Math.max(0, this.cap - this.seen));
    this.seen += part.length;
    this.reached = this.cap !== null && this.seen >= this.cap;
    if (this.keep) this.chunks.push(part);
    return { bytes: part, capReached: this.reached };
  }

  /** The kept bytes as UTF-8; a character the cap cut in two is left out. */
  text(): string {
    const decoder = new StringDecoder('utf8');
    const text = decoder.write(Buffer.concat(this.chunks));
    return this.reached ? text : text + decoder.end();
  }
}
