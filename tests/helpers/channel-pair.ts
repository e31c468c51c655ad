// Two ends of one in-memory connection: a Channel for the server side (what serveConnection or an
// RpcConnection is served over) and a client that sends messages and collects what it is sent.
// No process, no socket: a test drives a connection (or the whole server) in-process.
import type { Channel, Inbound } from '../../src/transport/channel.js';
import { Inbox, type IncomingMessage } from './message-inbox.js';

export interface ClientEnd {
  /** Sends one message: an object goes as its JSON, a string as it is (malformed JSON too). */
  send(message: unknown): void;
  /** Every message the server sent, parsed, with waits on them. */
  inbox: Inbox;
  /** The texts the server sent, as sent (for what the parsed form hides: member order, "jsonrpc"). */
  texts: string[];
  /** The client sends no more: the server's channel ends its input. */
  end(): void;
  /** The client goes away: the server's output is closed as well. */
  disconnect(): void;
}

export interface ChannelPair {
  server: Channel;
  client: ClientEnd;
  /** How the server closed the channel, once it did. */
  closedBy(): 'graceful' | 'abort' | undefined;
}

export function channelPair(label = 'memory'): ChannelPair {
  let inbound: Inbound | undefined;
  /** What the client sent before the server listened, handed over when it does. */
  const early: Array<(to: Inbound) => void> = [];
  const deliver = (step: (to: Inbound) => void) => (inbound === undefined ? early.push(step) : step(inbound));
  const closedListeners: Array<(error?: Error) => void> = [];
  let closedHow: 'graceful' | 'abort' | undefined;
  let gone = false;
  const texts: string[] = [];
  const inbox = new Inbox(() => `in-memory client of ${label}; ${texts.length} messages received`);
  const closeOutput = () => {
    if (gone) return;
    gone = true;
    for (const listener of closedListeners.splice(0)) listener();
    inbox.end('the connection closed');
  };

  const server: Channel = {
    label,
    listen(to) {
      inbound = to;
      for (const step of early.splice(0)) step(to);
      return () => (inbound = undefined);
    },
    // The client never sends faster than it is read here; nothing to hold back.
    pause: () => {},
    resume: () => {},
    write(written, done) {
      if (!gone) {
        for (const text of written) {
          texts.push(text);
          inbox.push(JSON.parse(text) as IncomingMessage);
        }
      }
      // Taken at once: an in-memory client always reads.
      queueMicrotask(() => done());
    },
    queuedBytes: () => 0,
    onClosed: (listener) => void closedListeners.push(listener),
    close(how) {
      closedHow ??= how;
      closeOutput();
      return Promise.resolve();
    },
  };

  const client: ClientEnd = {
    send: (message) => {
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      deliver((to) => to.message(text));
    },
    inbox,
    texts,
    end: () => deliver((to) => to.end()),
    disconnect: () => {
      deliver((to) => to.end());
      closeOutput();
    },
  };

  return { server, client, closedBy: () => closedHow };
}
