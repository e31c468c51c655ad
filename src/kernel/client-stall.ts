/** A client that leaves Keel's output unread this long is treated as gone (`[keel] client_stall_timeout_ms`). */
export const DEFAULT_CLIENT_STALL_TIMEOUT_MS = 60_000;
