// Splits a byte stream into lines, in one linear pass and bounded memory. A line's bytes are kept
// as the chunks that carried them and joined once, when its newline arrives: re-joining the unread
// text on every chunk made a long line quadratic (an unparseable 100 MB line took 81 s of CPU). A
// line that grows past the maximum is dropped as it streams, never held whole, and reported once.

/**
 * The longest line Keel reads: 64 MiB. Codex's stdio reader has no maximum; its bounded transport
 * (WebSocket, tungstenite's default) takes messages up to 64 MiB. A `turn/start` carrying images as
 * data URLs needs the room: OpenAI takes up to 50 MB of images in one request, 64 MiB in base64.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

export interface LineSink {
  /** A whole line, decoded as UTF-8, without its newline. */
  line(text: string): void;
  /** The current line has just crossed the maximum; its bytes up to its newline are dropped. */
  oversize(): void;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    // UTF-8 never uses the newline byte inside a character, so splitting bytes splits characters whole.
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      this.take(chunk.subarray(start, newline));
      this.endLine();
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  }

  /** The input ended: a last line without a newline is still a line. */
  end(): void {
    if (this.size > 0) this.endLine();
    this.dropping = false;
  }

  private take(bytes: Buffer): void {
    if (this.dropping || bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size <= this.maxBytes) {
      this.parts.push(bytes);
      return;
    }
    this.parts = [];
    this.dropping = true;
    this.sink.oversize();
  }

  private endLine(): void {
    const { parts, size, dropping } = this;
    this.parts = [];
    this.size = 0;
    this.dropping = false;
    if (dropping) return;
    this.sink.line(parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, size).toString('utf8'));
  }
}
