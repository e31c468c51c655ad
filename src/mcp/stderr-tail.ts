// The last lines a server wrote to stderr, kept so a crash can be explained. Bounded in lines and
// in line length: a chatty or binary-spewing server cannot grow Keel's memory.

export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 20,
    private readonly maxLineLength = 500,
  ) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = this.clip(parts.pop() ?? '');
    for (const line of parts) this.add(line);
  }

  /** The kept lines, oldest first, including an unterminated last one. */
  tail(): string[] {
    return this.partial ? [...this.lines, this.partial] : [...this.lines];
  }

  private add(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(this.clip(line));
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  private clip(line: string): string {
    return line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) + '…' : line;
  }
}
