// The version of Codex's app-server protocol Keel implements (its schema is vendored under
// vendor/codex-protocol/<version>). Clients read it from `initialize.userAgent` to gate features.
export const CODEX_PROTOCOL_VERSION = '0.171.0';
