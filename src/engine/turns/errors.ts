// From a failure to the protocol's TurnError: Codex's `codexErrorInfo` values and a clear message.
import type { TurnError } from '../../core/protocol-types.js';
import { DomainError } from '../../kernel/errors.js';
import { ProviderError } from '../../providers/types.js';

export function turnErrorFrom(error: unknown): TurnError {
  if (error instanceof ProviderError) {
    const status = error.options.httpStatus ?? null;
    const info = (() => {
      switch (error.kind) {
        case 'httpConnectionFailed':
          return { httpConnectionFailed: { httpStatusCode: status } };
        case 'responseStreamDisconnected':
          return { responseStreamDisconnected: { httpStatusCode: status } };
        default:
          return error.kind;
      }
    })();
    return { message: error.message, codexErrorInfo: info, additionalDetails: null };
  }
  // Keel's own refusals (the store could not write) say what happened in their own words.
  if (error instanceof DomainError) return { message: error.message, codexErrorInfo: 'other', additionalDetails: null };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${message}`, codexErrorInfo: 'other', additionalDetails: null };
}
