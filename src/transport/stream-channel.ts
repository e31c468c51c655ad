// A pair of byte streams as a Channel: one message per line each way (stdio; anything piped).
import type { Readable, Writable } from 'node:stream';
import type { Channel } from './channel.js';
import { LineSplitter, MAX_LINE_BYTES } from './line-splitter.js';

export interface StreamChannelOptions {
  /** The longest line read, in bytes; a longer one is dropped unread and reported as oversize. */
  maxLineBytes?: number;
  /** Ends the transport (stdio: nothing; the process owns it). */
  close?: Channel['close'];
}

export function streamChannel(label: string, input: Readable, output: Writable, options: StreamChannelOptions = {}): Channel {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  return {
    label,
    listen(inbound) {
      const lines = new LineSplitter(maxLineBytes, {
        line: (text) => inbound.message(text),
        oversize: () => inbound.oversize(maxLineBytes),
      });
      const onData = (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      const onEnd = () => {
        lines.end();
        inbound.end();
      };
      // A read error ends nothing by itself: the stream closes after it, and the output side tells.
      const onError = () => {};
      input.on('data', onData);
      input.on('end', onEnd);
      input.on('error', onError);
      return () => {
        input.off('data', onData);
        input.off('end', onEnd);
        input.off('error', onError);
      };
    },
    pause: () => input.pause(),
    resume: () => input.resume(),
    // One write for the whole batch: a burst of deltas becomes one syscall.
    write: (texts, done) => void output.write(texts.length === 0 ? '' : texts.join('\n') + '\n', done),
    queuedBytes: () => output.writableLength,
    onClosed(listener) {
      let told = false;
      const tell = (error?: Error) => {
        if (told) return;
        told = true;
        listener(error);
      };
      output.on('error', (error) => tell(error));
      output.on('close', () => tell());
    },
    close: options.close ?? (() => Promise.resolve()),
  };
}
