// Pings every WebSocket client each interval; one that has not answered the previous ping by the
// next is terminated. A client whose machine slept or lost its network (a laptop lid closing)
// sends no close frame: without this its connection would stay open forever.
import type { WebSocket } from 'ws';

export const HEARTBEAT_INTERVAL_MS = 30_000;

export class Heartbeat {
  /** Each client, and whether it answered since the last ping. */
  private readonly answered = new Map<WebSocket, boolean>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    intervalMs: number,
    private readonly onSilent: (ws: WebSocket) => void,
  ) {
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  track(ws: WebSocket): void {
    this.answered.set(ws, true);
    ws.on('pong', () => this.answered.has(ws) && this.answered.set(ws, true));
    ws.once('close', () => this.answered.delete(ws));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const [ws, answered] of this.answered) {
      if (!answered) {
        this.answered.delete(ws);
        this.onSilent(ws);
        ws.terminate();
        continue;
      }
      this.answered.set(ws, false);
      ws.ping();
    }
  }
}
