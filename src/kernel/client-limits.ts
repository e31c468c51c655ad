// How long a client may leave Keel's output unread, and how much of it: `[keel]
// client_stall_timeout_ms` and `client_output_limit_bytes`, with their defaults.

/** A client that leaves Keel's output unread this long is treated as gone (`[keel] client_stall_timeout_ms`). */
export const DEFAULT_CLIENT_STALL_TIMEOUT_MS = 60_000;
/** A client whose unsent output passes this is dropped at once (`[keel] client_output_limit_bytes`). */
export const DEFAULT_CLIENT_OUTPUT_LIMIT_BYTES = 64 * 1024 * 1024;

export interface ClientLimitSettings {
  clientStallTimeoutMs: number;
  clientOutputLimitBytes: number;
}

/** The output limit is asked on every message written; config.toml is re-read for it at most this often. */
const OUTPUT_LIMIT_REREAD_MS = 1_000;

/**
 * The limits as the config says when asked (`read` returns undefined until the config has loaded,
 * after the handshake: the defaults apply until then, and are not kept).
 */
export function clientLimits(read: () => ClientLimitSettings | undefined): { stallTimeoutMs: () => number; outputLimitBytes: () => number } {
  let cached: { readAtMs: number; bytes: number } | undefined;
  return {
    stallTimeoutMs: () => read()?.clientStallTimeoutMs ?? DEFAULT_CLIENT_STALL_TIMEOUT_MS,
    outputLimitBytes: () => {
      const now = Date.now();
      if (cached !== undefined && now - cached.readAtMs < OUTPUT_LIMIT_REREAD_MS) return cached.bytes;
      const settings = read();
      if (settings === undefined) return DEFAULT_CLIENT_OUTPUT_LIMIT_BYTES;
      cached = { readAtMs: now, bytes: settings.clientOutputLimitBytes };
      return cached.bytes;
    },
  };
}
