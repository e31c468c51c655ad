// Reads one JSON object per line. Lines that are not valid JSON-RPC are answered through
// `onReject` instead of being passed on, so the client always hears back.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, Disposable } from 'vscode-jsonrpc/node';
import { classifyLine, type WireId } from './classify-line.js';
import type { RequestIds } from './request-ids.js';
import type { RpcError } from '../protocol/errors.js';

export interface ReaderHooks {
  /** A line that is not valid JSON-RPC; the server answers it directly. */
  onReject(id: WireId | null, error: RpcError): void;
  /** Called once per request handed to the connection, so shutdown can wait for its answer. */
  onRequest(): void;
  /** stdin reached EOF; the connection stays open until pending answers are written. */
  onEnd(): void;
}

export class JsonlMessageReader extends AbstractMessageReader {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly input: Readable,
    private readonly hooks: ReaderHooks,
    private readonly ids: RequestIds,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
      this.consume(this.partial + text, callback);
    };
    const onEnd = () => {
      const rest = this.partial + this.decoder.end();
      this.partial = '';
      if (rest !== '') this.handleLine(rest, callback);
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

  private consume(text: string, callback: DataCallback): void {
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      this.handleLine(text.slice(start, newline), callback);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.partial = text.slice(start);
  }

  private handleLine(line: string, callback: DataCallback): void {
    const verdict = classifyLine(line);
    if (verdict.kind === 'message') {
      const message = verdict.message as { id?: WireId; method?: string; params?: { id?: WireId } };
      if (message.method !== undefined && message.id !== undefined) {
        message.id = this.ids.toInternal(message.id);
        this.hooks.onRequest();
      } else if (message.method === '$/cancelRequest' && message.params?.id !== undefined) {
        message.params.id = this.ids.internalFor(message.params.id) ?? -1;
      }
      callback(verdict.message);
    } else if (verdict.kind === 'reject') this.hooks.onReject(verdict.id, verdict.error);
  }
}
