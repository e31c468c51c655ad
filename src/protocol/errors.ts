// Every JSON-RPC error Keel sends is built here, so codes and wording live in one place, and no
// secret Keel holds is in one (kernel/redact.ts).
import { secrets } from '../kernel/redact.js';

export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** A JSON-RPC error: what a request is answered with, or what the client answered a server request with. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  /** The error member of a response: `data` only when there is some. */
  toJson(): { code: number; message: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

function rpcError(code: number, message: string, data?: unknown): RpcError {
  return new RpcError(code, secrets.redact(message), secrets.redactDeep(data));
}

export const RpcErrors = {
  parse: (detail: string) => rpcError(ErrorCode.parseError, `Parse error: ${detail}`),
  invalidRequest: (message: string) => rpcError(ErrorCode.invalidRequest, `Invalid request: ${message}`),
  /** A line over the maximum size: not parsed, so not a parse error; its id is unknown. */
  lineTooLong: (maxLineBytes: number) =>
    rpcError(ErrorCode.invalidRequest, `Invalid request: line longer than the maximum of ${maxLineBytes} bytes; discarded unread`, { maxLineBytes }),
  methodNotFound: (method: string) => rpcError(ErrorCode.methodNotFound, `Method not found: ${method}`),
  // A method Codex defines but Keel does not serve: still -32601, with a clearer word.
  methodNotSupported: (method: string) =>
    rpcError(ErrorCode.methodNotFound, `Method not supported by Keel: ${method}`),
  /** A Codex method Keel will not serve (protocol/not-in-keel.ts), saying why. */
  methodNotAvailable: (method: string, why: string) => rpcError(ErrorCode.methodNotFound, `${method} is not available in Keel: ${why}`),
  /** Codex's structured refusal of a provider Keel does not have (its ModelProviderError data). */
  modelProviderNotConfigured: (modelProvider: string) =>
    rpcError(ErrorCode.invalidRequest, `model provider not configured: ${modelProvider}`, { type: 'modelProviderNotConfigured', modelProvider }),
  invalidParams: (message: string, data?: unknown) =>
    rpcError(ErrorCode.invalidParams, `Invalid params: ${message}`, data),
  /** Codex's answer to a turn whose text is too long, word for word: clients read `data.input_error_code`. */
  inputTooLarge: (actualChars: number, maxChars: number) =>
    rpcError(ErrorCode.invalidParams, `Input exceeds the maximum length of ${maxChars} characters.`, {
      input_error_code: 'input_too_large',
      max_chars: maxChars,
      actual_chars: actualChars,
    }),
  internal: () => rpcError(ErrorCode.internalError, 'Internal error'),
  /** A fault on Keel's side that it can name (the store refused a write, a log is damaged). */
  serverFault: (message: string) => rpcError(ErrorCode.internalError, message),
  // Connection gates keep Codex's wording and its invalid-request code.
  notInitialized: () => rpcError(ErrorCode.invalidRequest, 'Not initialized'),
  alreadyInitialized: () => rpcError(ErrorCode.invalidRequest, 'Already initialized'),
  experimentalRequired: (what: string) =>
    rpcError(ErrorCode.invalidRequest, `${what} requires experimentalApi capability`),
  // The client's request refused by the domain (unknown thread, a turn running…): Codex's code.
  domain: (message: string) => rpcError(ErrorCode.invalidRequest, message),
};

export function isRpcError(value: unknown): value is RpcError {
  return value instanceof RpcError;
}
