// Reads one JSON object per line. Lines that are not valid JSON-RPC, or longer than the maximum,
// are answered through `reject` instead of being passed on, so the client always hears back.
import type { Readable } from 'node:stream';
import { classifyLine, type Message, type WireId } from './classify-line.js';
import { LineSplitter, MAX_LINE_BYTES } from './line-splitter.js';
import { RpcErrors, type RpcError } from '../protocol/errors.js';

export interface MessageSink {
  /** A message with the shape of a request, notification or response. */
  message(message: Message): void;
  /** A line that is not valid JSON-RPC; the server answers it directly. */
  reject(id: WireId | null, error: RpcError): void;
  /** The input reached EOF; the connection stays open until pending answers are written. */
  end(): void;
}

export interface ReaderOptions {
  /** The longest line read, in bytes; a longer one is dropped unread and answered -32600. */
  maxLineBytes?: number;
}

/** Reads `input` line by line into `sink` until the returned function stops it. */
export function readJsonl(input: Readable, sink: MessageSink, options: ReaderOptions = {}): () => void {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const lines = new LineSplitter(maxLineBytes, {
    line: (text) => deliverLine(text, sink),
    // Its id cannot be read without reading it: answered with id null, as an unparseable line is.
    oversize: () => sink.reject(null, RpcErrors.lineTooLong(maxLineBytes)),
  });
  const onData = (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  const onEnd = () => {
    lines.end();
    sink.end();
  };
  // A read error ends nothing by itself: the stream closes after it, and its output side tells.
  const onError = () => {};
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('error', onError);
  return () => {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('error', onError);
  };
}

/** One line or frame: a message, an answer to give right away, or nothing (blank). */
export function deliverLine(text: string, sink: Pick<MessageSink, 'message' | 'reject'>): void {
  const verdict = classifyLine(text);
  if (verdict.kind === 'message') sink.message(verdict.message);
  else if (verdict.kind === 'reject') sink.reject(verdict.id, verdict.error);
}
