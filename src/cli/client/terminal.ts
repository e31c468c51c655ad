// What `keel exec` writes: with --json, every notification as one JSON line on stdout; else the
// agent's text as it streams (stdout) and a line per tool item, retries and notes (stderr), with a
// progress line on a terminal while nothing else shows. The progress line is cleared before any
// other output, and stops while a question is asked.
import type { Notification } from '../../../clients/typescript/keel-client.js';
import { toolLine } from './render.js';

const PROGRESS_EVERY_MS = 1_000;

export class Terminal {
  private readonly startedAt = Date.now();
  private lastOutputAt = Date.now();
  private progressShown = false;
  private paused = false;
  /** Whether the agent's text so far ends a line (so tool lines start on their own). */
  private atLineStart = true;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly json: boolean) {
    if (!json && process.stderr.isTTY) {
      this.timer = setInterval(() => this.progress(), PROGRESS_EVERY_MS);
      this.timer.unref();
    }
  }

  notification(n: Notification): void {
    if (this.json) return this.out(`${JSON.stringify({ method: n.method, params: n.params })}\n`);
    switch (n.method) {
      case 'item/agentMessage/delta':
        this.out(n.params.delta);
        this.atLineStart = n.params.delta.endsWith('\n');
        return;
      case 'item/completed': {
        if (n.params.item.type === 'agentMessage' && !this.atLineStart) {
          this.out('\n');
          this.atLineStart = true;
        }
        const line = toolLine(n.params.item);
        if (line !== null) this.info(line);
        return;
      }
      case 'error':
        if (n.params.willRetry) this.info(`(retrying: ${n.params.error.message})`);
        return;
      default:
        return;
    }
  }

  info(line: string): void {
    this.clearProgress();
    if (!this.atLineStart) {
      process.stdout.write('\n');
      this.atLineStart = true;
    }
    process.stderr.write(`${line}\n`);
    this.lastOutputAt = Date.now();
  }

  error(line: string): void {
    this.info(line);
  }

  /** While a question is asked: no progress line over it. */
  pause(): void {
    this.clearProgress();
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.lastOutputAt = Date.now();
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearProgress();
    if (!this.json && !this.atLineStart) process.stdout.write('\n');
    this.atLineStart = true;
  }

  private out(text: string): void {
    this.clearProgress();
    process.stdout.write(text);
    this.lastOutputAt = Date.now();
  }

  private progress(): void {
    // Not over a half-written line of the agent's text: \r would wipe it from the screen.
    if (this.paused || !this.atLineStart || Date.now() - this.lastOutputAt < PROGRESS_EVERY_MS) return;
    const seconds = Math.round((Date.now() - this.startedAt) / 1000);
    process.stderr.write(`\r\x1b[2K… working ${seconds}s (Ctrl-C interrupts)`);
    this.progressShown = true;
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    process.stderr.write('\r\x1b[2K');
    this.progressShown = false;
  }
}
