// Did the sandbox, rather than the command itself, make a sandboxed command fail? A keyword
// heuristic on its output, as Codex's is_likely_sandbox_denied: under the `on-failure` approval
// policy a yes offers the user a retry without the sandbox, so it should rarely say yes for a
// failure the sandbox did not cause.

/** What the kernel answers when the mounts or dropped capabilities refuse a write. */
const FILESYSTEM_REFUSALS = ['read-only file system', 'erofs', 'permission denied', 'eacces', 'operation not permitted', 'eperm'];
/** What a process in a namespace without network sees trying to reach the outside. */
const NETWORK_REFUSALS = [
  'network is unreachable',
  'enetunreach',
  'could not resolve host',
  'temporary failure in name resolution',
  'name or service not known',
  'eai_again',
];
/**
 * A port with nothing listening answers the same outside a sandbox; it counts only when the
 * caller says the sandbox cut the network (the host's loopback servers are then unreachable).
 */
const LOOPBACK_REFUSALS = ['connection refused', 'econnrefused'];
/** Command not found, not executable: the shell's own answers, never the sandbox's. */
const NOT_THE_SANDBOX_EXIT_CODES = new Set([126, 127]);

export interface DenialOptions {
  /** The command ran without network (`--unshare-net`): refused connections count too. */
  networkBlocked?: boolean;
}

export function looksDeniedBySandbox(exitCode: number | null, output: string, options: DenialOptions = {}): boolean {
  if (exitCode === 0 || (exitCode !== null && NOT_THE_SANDBOX_EXIT_CODES.has(exitCode))) return false;
  const text = output.toLowerCase();
  const keywords = [...FILESYSTEM_REFUSALS, ...NETWORK_REFUSALS, ...(options.networkBlocked === true ? LOOPBACK_REFUSALS : [])];
  return keywords.some((keyword) => text.includes(keyword));
}
