// Reads one JSON object per line. Lines that are not valid JSON-RPC, or longer than the maximum,
// are answered through `onReject` instead of being passed on, so the client always hears back.
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, Disposable } from 'vscode-jsonrpc/node';
import { classifyLine, type WireId } from './classify-line.js';
import { LineSplitter, MAX_LINE_BYTES } from './line-splitter.js';
import type { RequestIds } from './request-ids.js';
import { RpcErrors, type RpcError } from '../protocol/errors.js';

export interface ReaderHooks {
  /** A line that is not valid JSON-RPC; the server answers it directly. */
  onReject(id: WireId | null, error: RpcError): void;
  /** Called once per request handed to the connection, so shutdown can wait for its answer. */
  onRequest(): void;
  /** stdin reached EOF; the connection stays open until pending answers are written. */
  onEnd(): void;
}

export interface ReaderOptions {
  /** The longest line read, in bytes; a longer one is dropped unread and answered -32600. */
  maxLineBytes?: number;
}

export class JsonlMessageReader extends AbstractMessageReader {
  private readonly maxLineBytes: number;

  constructor(
    private readonly input: Readable,
    private readonly hooks: ReaderHooks,
    private readonly ids: RequestIds,
    options: ReaderOptions = {},
  ) {
    super();
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  listen(callback: DataCallback): Disposable {
    const lines = new LineSplitter(this.maxLineBytes, {
      line: (text) => this.handleLine(text, callback),
      // Its id cannot be read without reading it: answered with id null, as an unparseable line is.
      oversize: () => this.hooks.onReject(null, RpcErrors.lineTooLong(this.maxLineBytes)),
    });
    const onData = (chunk: Buffer | string) => lines.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    const onEnd = () => {
      lines.end();
      this.hooks.onEnd();
    };
    const onError = (error: Error) => this.fireError(error);
    this.input.on('data', onData);
    this.input.on('end', onEnd);
    this.input.on('error', onError);
    return Disposable.create(() => {
      this.input.off('data', onData);
      this.input.off('end', onEnd);
      this.input.off('error', onError);
    });
  }

  private handleLine(line: string, callback: DataCallback): void {
    const verdict = classifyLine(line);
    if (verdict.kind === 'message') {
      const message = verdict.message as { id?: WireId; method?: string; params?: { id?: WireId } };
      if (message.method !== undefined && message.id !== undefined) {
        message.id = this.ids.toInternal(message.id);
        this.hooks.onRequest();
      } else if (message.method === '$/cancelRequest') {
        // vscode-jsonrpc reads `params.id` of a cancel unguarded: one without it would throw here
        // and lose the rest of the read. A cancel of nothing cancels nothing.
        if (typeof message.params !== 'object' || message.params === null || message.params.id === undefined) return;
        message.params.id = this.ids.internalFor(message.params.id) ?? -1;
      }
      callback(verdict.message);
    } else if (verdict.kind === 'reject') this.hooks.onReject(verdict.id, verdict.error);
  }
}
