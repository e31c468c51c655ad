// What a client saw of a Keel process before it was killed, gathered across processes: every
// thread/started, turn/started, item/completed and turn/completed. Keel publishes a durable event only after writing it, so all of it must still be
// there when a later Keel reads the store.
import type { IncomingMessage } from '../helpers/keel-process.js';
import { params } from '../helpers/turns.js';

export interface SeenTurn {
  threadId: string;
  /** item/completed payloads of this turn, in the order they came. */
  items: unknown[];
  /** From turn/completed, when it came before the kill. */
  end?: { status: string; error: unknown };
}

export class Witness {
  readonly threads = new Set<string>();
  readonly turns = new Map<string, SeenTurn>();

  /** Takes in one process's messages (after it exited, so the list is complete). */
  record(messages: readonly IncomingMessage[]): void {
    for (const message of messages) {
      if (message.method === undefined) continue;
      const p = params(message);
      if (message.method === 'thread/started') this.threads.add(p.thread.id);
      else if (message.method === 'turn/started') this.turn(p.turn.id, p.threadId);
      else if (message.method === 'item/completed') this.turn(p.turnId, p.threadId).items.push(p.item);
      else if (message.method === 'turn/completed') this.turn(p.turn.id, p.threadId).end = { status: p.turn.status, error: p.turn.error };
    }
  }

  get completedTurns(): number {
    return [...this.turns.values()].filter((turn) => turn.end !== undefined).length;
  }

  private turn(turnId: string, threadId: string): SeenTurn {
    let turn = this.turns.get(turnId);
    if (turn === undefined) this.turns.set(turnId, (turn = { threadId, items: [] }));
    return turn;
  }
}
