// Where Keel serves, as Codex's app-server options say it: repeatable `--listen URL` (`stdio://`,
// `unix://`, `unix:///PATH`, `ws://HOST:PORT`, `off`), `--stdio`, and the WebSocket auth flags.
// Plain string work, like the rest of the command line: a token file is read when the listener
// starts, not here.
import path from 'node:path';
import { isLoopbackHost, wsUrl, type CapabilityToken, type ListenAddress } from '../kernel/listen-address.js';
import { UsageError, type OptionSpec, type Token } from './options.js';

export type { CapabilityToken, ListenAddress } from '../kernel/listen-address.js';

export interface ListenOptions {
  /** In command-line order, duplicates dropped; stdio alone when no `--listen` is given. */
  addresses: ListenAddress[];
  /** Applies to `ws://` listeners (a unix socket is guarded by its file mode); null: no auth. */
  wsAuth: CapabilityToken | null;
}

export const listenSpecs = {
  listen: { names: ['--listen'], value: 'URL' },
  stdio: { names: ['--stdio'] },
  wsAuth: { names: ['--ws-auth'], value: 'MODE' },
  wsTokenFile: { names: ['--ws-token-file'], value: 'ABSOLUTE_PATH' },
  wsTokenSha256: { names: ['--ws-token-sha256'], value: 'HEX' },
  wsSharedSecretFile: { names: ['--ws-shared-secret-file'], value: 'ABSOLUTE_PATH' },
  wsIssuer: { names: ['--ws-issuer'], value: 'ISSUER' },
  wsAudience: { names: ['--ws-audience'], value: 'AUDIENCE' },
  wsMaxClockSkewSeconds: { names: ['--ws-max-clock-skew-seconds'], value: 'SECONDS' },
  // Keel's own: Codex only warns about a listener other machines can reach; Keel refuses without it.
  wsAllowNonLoopback: { names: ['--ws-allow-non-loopback'] },
} satisfies Record<string, OptionSpec>;

export type ListenToken = Extract<Token, { option: string }>;

const SIGNED_BEARER_OPTIONS = new Set(['wsSharedSecretFile', 'wsIssuer', 'wsAudience', 'wsMaxClockSkewSeconds']);
const NO_SIGNED_BEARER = 'Keel does not support signed bearer tokens (use --ws-auth capability-token with --ws-token-file or --ws-token-sha256)';

/** `$KEEL_HOME/app-server-control/app-server-control.sock`, as Codex's `$CODEX_HOME/…`. */
export function defaultSocketPath(home: string): string {
  return path.join(home, 'app-server-control', 'app-server-control.sock');
}


function usage(message: string): UsageError {
  return new UsageError(message, 'server');
}

function parseAddress(url: string, home: string): ListenAddress | 'off' {
  if (url === 'stdio://' || url === 'stdio') return { transport: 'stdio' };
  if (url === 'off') return 'off';
  if (url.startsWith('unix://')) {
    const socket = url.slice('unix://'.length);
    if (socket === '') return { transport: 'unix', path: defaultSocketPath(home) };
    if (!path.isAbsolute(socket)) throw usage(`--listen ${url}: the socket path must be absolute (unix:///path/to.sock), or none for ${defaultSocketPath(home)}`);
    return { transport: 'unix', path: path.normalize(socket) };
  }
  if (url.startsWith('ws://')) {
    const match = /^ws:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(url);
    const port = Number(match?.[2]);
    if (match === null || port > 65535) throw usage(`--listen ${url}: expected ws://HOST:PORT (PORT 0 for a free port)`);
    return { transport: 'ws', host: match[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (url.startsWith('wss://')) throw usage(`--listen ${url}: Keel serves ws:// only (put a TLS-terminating proxy in front for wss://)`);
  throw usage(`--listen ${url}: not a transport Keel knows (stdio://, unix://, unix:///PATH, ws://HOST:PORT, off)`);
}

function sameAddress(a: ListenAddress, b: ListenAddress): boolean {
  if (a.transport === 'unix' && b.transport === 'unix') return a.path === b.path;
  // Two `:0` are two listeners, each on a free port of its own.
  if (a.transport === 'ws' && b.transport === 'ws') return a.host === b.host && a.port === b.port && a.port !== 0;
  return a.transport === b.transport && a.transport === 'stdio';
}

function parseWsAuth(tokens: readonly ListenToken[]): CapabilityToken | null {
  let mode: string | undefined;
  let tokenFile: ListenToken | undefined;
  let tokenSha256: ListenToken | undefined;
  for (const token of tokens) {
    if (SIGNED_BEARER_OPTIONS.has(token.option)) throw usage(`${token.name}: ${NO_SIGNED_BEARER}`);
    if (token.option === 'wsAuth') mode = token.value;
    else if (token.option === 'wsTokenFile') tokenFile = token;
    else if (token.option === 'wsTokenSha256') tokenSha256 = token;
  }
  if (mode === undefined) {
    const stray = tokenFile ?? tokenSha256;
    if (stray !== undefined) throw usage(`${stray.name} needs --ws-auth capability-token`);
    return null;
  }
  if (mode === 'signed-bearer-token') throw usage(`--ws-auth signed-bearer-token: ${NO_SIGNED_BEARER}`);
  if (mode !== 'capability-token') throw usage(`--ws-auth ${mode}: not an auth mode Keel knows (capability-token)`);
  if (tokenFile !== undefined && tokenSha256 !== undefined) throw usage('--ws-token-file and --ws-token-sha256 exclude each other: give one');
  if (tokenFile !== undefined) {
    if (!path.isAbsolute(tokenFile.value)) throw usage(`${tokenFile.name} ${tokenFile.value}: not an absolute path`);
    return { tokenFile: tokenFile.value };
  }
  if (tokenSha256 !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(tokenSha256.value)) throw usage(`${tokenSha256.name} ${tokenSha256.value}: not a SHA-256 digest (64 hex digits)`);
    return { tokenSha256: tokenSha256.value.toLowerCase() };
  }
  throw usage('--ws-auth capability-token needs --ws-token-file ABSOLUTE_PATH or --ws-token-sha256 HEX');
}

/** The listen options from their tokens (those of `listenSpecs`), in command-line order. */
export function parseListenOptions(tokens: readonly ListenToken[], home: string): ListenOptions {
  const addresses: ListenAddress[] = [];
  let off = false;
  for (const token of tokens) {
    if (token.option !== 'listen' && token.option !== 'stdio') continue;
    const address = token.option === 'stdio' ? ({ transport: 'stdio' } as const) : parseAddress(token.value, home);
    if (address === 'off') off = true;
    else if (!addresses.some((known) => sameAddress(known, address))) addresses.push(address);
  }
  if (off && addresses.some((a) => a.transport === 'stdio')) throw usage('--listen off and --listen stdio:// contradict each other');
  if (off && addresses.length === 0) throw usage('--listen off leaves nothing to serve: add --listen unix:// or --listen ws://HOST:PORT');
  if (addresses.length === 0) addresses.push({ transport: 'stdio' });
  const allowNonLoopback = tokens.some((token) => token.option === 'wsAllowNonLoopback');
  for (const address of addresses) {
    if (address.transport !== 'ws' || allowNonLoopback || isLoopbackHost(address.host)) continue;
    throw usage(
      `--listen ${wsUrl(address.host, address.port)}: ${address.host} is not a loopback address; ` +
        'Keel listens where other machines can reach it only with --ws-allow-non-loopback (and --ws-auth capability-token)',
    );
  }
  return { addresses, wsAuth: parseWsAuth(tokens) };
}
