// Bounding command output, in three places: what Keel keeps in memory (a head and a tail, the middle
// counted and said so: HeadTailText), what it streams to clients and stores as the item's output
// deltas (the first 1 MiB, the rest counted and said so: StreamedOutputCap) and what the model
// reads (capForModel, Codex's format). Sizes are UTF-8 bytes; a cut never splits a character.
// Tokens are approximated as Codex does: 4 bytes.

export const BYTES_PER_TOKEN = 4;

/** What Keel keeps of one command's output (the item's aggregatedOutput) and of one read of a session: 1 MiB, as Codex. */
export const OUTPUT_MAX_BYTES = 1024 * 1024;

/**
 * What Keel streams of one command item's output as `item/commandExecution/outputDelta` (and so
 * stores and holds in the thread's state): the first 1 MiB, as much as aggregatedOutput keeps.
 */
export const STREAMED_OUTPUT_MAX_BYTES = OUTPUT_MAX_BYTES;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Codex's estimate: one token per 4 bytes of UTF-8, rounded up. */
export function approxTokenCount(text: string): number {
  return Math.ceil(utf8Bytes(text) / BYTES_PER_TOKEN);
}

/** Lines as a reader counts them: a final newline does not start another. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, ending on a character boundary. */
export function utf8Head(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && isContinuation(bytes[end])) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** The longest suffix of `text` of at most `maxBytes` UTF-8 bytes, starting on a character boundary. */
export function utf8Tail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - Math.max(0, maxBytes);
  while (start < bytes.length && isContinuation(bytes[start])) start++;
  return bytes.subarray(start).toString('utf8');
}

export type OutputLimit = { maxTokens: number } | { maxBytes: number };

/**
 * Output for the model, in Codex's words (its `formatted_truncate_text`): unchanged when it fits;
 * else `Total output lines: N`, a blank line, then the head and the tail (half the budget each)
 * joined by `…K tokens truncated…` (or `…K bytes truncated…` for a byte budget).
 */
export function capForModel(text: string, limit: OutputLimit): string {
  const byTokens = 'maxTokens' in limit;
  const budget = Math.max(0, Math.floor(byTokens ? limit.maxTokens * BYTES_PER_TOKEN : limit.maxBytes));
  const total = utf8Bytes(text);
  if (total <= budget) return text;
  const headBudget = Math.floor(budget / 2);
  const head = utf8Head(text, headBudget);
  const tail = utf8Tail(text, budget - headBudget);
  const removed = total - utf8Bytes(head) - utf8Bytes(tail);
  const marker = byTokens ? `…${Math.ceil(removed / BYTES_PER_TOKEN)} tokens truncated…` : `…${removed} bytes truncated…`;
  return `Total output lines: ${countLines(text)}\n\n${head}${marker}${tail}`;
}

/** Codex's default truncation policy for a tool's output: 10,000 bytes (format-output.ts says why). */
export const DEFAULT_POLICY_MAX_BYTES = 10_000;

/**
 * Output cut to Codex's default policy, in its words: unchanged when it fits; else a warning line
 * with the original token count, `Total output lines: N`, a blank line, then the head and the
 * tail (half the budget each) joined by `…K chars truncated…` (K characters of the middle).
 */
export function capToDefaultPolicy(text: string): string {
  const total = utf8Bytes(text);
  if (total <= DEFAULT_POLICY_MAX_BYTES) return text;
  const headBudget = Math.floor(DEFAULT_POLICY_MAX_BYTES / 2);
  const head = utf8Head(text, headBudget);
  const tail = utf8Tail(text, DEFAULT_POLICY_MAX_BYTES - headBudget);
  const removed = [...text.slice(head.length, text.length - tail.length)].length;
  return `Warning: truncated output (original token count: ${Math.ceil(total / BYTES_PER_TOKEN)})\nTotal output lines: ${countLines(text)}\n\n${head}…${removed} chars truncated…${tail}`;
}

/** The line that stands for what HeadTailText dropped. */
export function elisionMarker(bytes: number, lines: number): string {
  return `\n[… ${bytes} bytes (${lines} lines) elided …]\n`;
}

export interface DrainedText {
  /** Head, the elision marker when something was dropped, tail. */
  text: string;
  /** Bytes pushed since the last drain, kept or not. */
  totalBytes: number;
  /** Of those, dropped from the middle. */
  omittedBytes: number;
}

/**
 * Text kept within `maxBytes`: the first half of the budget fills with the beginning, the rest
 * keeps the latest text; what falls out of the middle is counted (bytes, newlines) and shown
 * as one marker line. Chunks are appended in arrival order.
 */
export class HeadTailText {
  private head = '';
  private headBytes = 0;
  /** Once text has gone to the tail, the head takes no more (order is kept). */
  private headClosed = false;
  private tail: string[] = [];
  private tailStart = 0;
  private tailBytes = 0;
  private omitted = 0;
  private omittedNewlines = 0;

  constructor(readonly maxBytes: number = OUTPUT_MAX_BYTES) {}

  get totalBytes(): number {
    return this.headBytes + this.tailBytes + this.omitted;
  }

  get omittedBytes(): number {
    return this.omitted;
  }

  push(text: string): void {
    if (text === '') return;
    let rest = text;
    if (!this.headClosed) {
      const room = Math.floor(this.maxBytes / 2) - this.headBytes;
      const bytes = utf8Bytes(rest);
      if (bytes <= room) {
        this.head += rest;
        this.headBytes += bytes;
        return;
      }
      const part = utf8Head(rest, room);
      this.head += part;
      this.headBytes += utf8Bytes(part);
      this.headClosed = true;
      rest = rest.slice(part.length);
    }
    this.tail.push(rest);
    this.tailBytes += utf8Bytes(rest);
    this.trimTail();
  }

  text(): string {
    const tail = this.tail.slice(this.tailStart).join('');
    return this.omitted > 0 ? this.head + elisionMarker(this.omitted, this.omittedNewlines) + tail : this.head + tail;
  }

  /** What is held, then empty again. */
  drain(): DrainedText {
    const drained = { text: this.text(), totalBytes: this.totalBytes, omittedBytes: this.omitted };
    this.head = '';
    this.headBytes = 0;
    this.headClosed = false;
    this.tail = [];
    this.tailStart = 0;
    this.tailBytes = 0;
    this.omitted = 0;
    this.omittedNewlines = 0;
    return drained;
  }

  private trimTail(): void {
    // The tail has what the head left: half the budget, or a little more when the head stopped short of a character.
    const budget = this.maxBytes - this.headBytes;
    while (this.tailBytes > budget && this.tailStart < this.tail.length) {
      const front = this.tail[this.tailStart]!;
      const frontBytes = utf8Bytes(front);
      const excess = this.tailBytes - budget;
      if (frontBytes <= excess) {
        this.drop(front, frontBytes);
        // Let go of the text now: up to 1024 dropped chunks of 64 KiB wait for the compaction below.
        this.tail[this.tailStart++] = '';
      } else {
        const kept = utf8Tail(front, frontBytes - excess);
        const keptBytes = utf8Bytes(kept);
        this.drop(front.slice(0, front.length - kept.length), frontBytes - keptBytes);
        this.tail[this.tailStart] = kept;
      }
    }
    // Chunks dropped from the front are compacted away now and then, not on every push.
    if (this.tailStart > 1024 && this.tailStart * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.tailStart);
      this.tailStart = 0;
    }
  }

  private drop(text: string, bytes: number): void {
    this.omitted += bytes;
    this.tailBytes -= bytes;
    this.omittedNewlines += countNewlines(text);
  }
}

/**
 * The streamed part of one item's output: text passes until `maxBytes` have passed (cut on a
 * character boundary); what comes after is only counted (bytes, newlines), and `closing()` gives
 * the line that says so, in HeadTailText's words, to end the stream with.
 */
export class StreamedOutputCap {
  private passedBytes = 0;
  private reached = false;
  private elidedBytes = 0;
  private elidedNewlines = 0;

  constructor(readonly maxBytes: number = STREAMED_OUTPUT_MAX_BYTES) {}

  /** The part of `text` still to stream: all of it while under the cap, a head at the cap, '' past it. */
  take(text: string): string {
    if (this.reached) {
      this.elide(text);
      return '';
    }
    const bytes = utf8Bytes(text);
    if (this.passedBytes + bytes <= this.maxBytes) {
      this.passedBytes += bytes;
      return text;
    }
    const part = utf8Head(text, this.maxBytes - this.passedBytes);
    this.passedBytes += utf8Bytes(part);
    this.reached = true;
    this.elide(text.slice(part.length));
    return part;
  }

  /** The line that ends a stream the cap cut short (`[… N bytes (L lines) elided …]`); null when nothing was cut. */
  closing(): string | null {
    return this.elidedBytes === 0 ? null : elisionMarker(this.elidedBytes, this.elidedNewlines);
  }

  private elide(text: string): void {
    this.elidedBytes += utf8Bytes(text);
    this.elidedNewlines += countNewlines(text);
  }
}
