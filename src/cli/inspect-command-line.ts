// `keel inspect [--connect URL] [--token-file PATH] [--port N] [-c key=value]...`: the Inspector, a
// web page on 127.0.0.1 that watches and drives an app-server (cli/inspect/). Plain string work,
// like the rest of the command line.
import path from 'node:path';
import { resolveHome } from '../config/home.js';
import { defaultSocketPath } from './listen-options.js';
import { help, tokens, UsageError, type OptionSpec } from './options.js';

/** Where the page's app-server is: a Keel the inspector starts, or one already listening. */
export type InspectTarget =
  | { kind: 'own'; config: string[] }
  | { kind: 'ws'; url: string; tokenFile: string | null }
  | { kind: 'unix'; path: string };

export interface InspectOptions {
  target: InspectTarget;
  /** The page's TCP port on 127.0.0.1; 0 for a free one. */
  port: number;
}

const inspectSpecs = {
  connect: { names: ['--connect'], value: 'URL' },
  tokenFile: { names: ['--token-file'], value: 'PATH' },
  port: { names: ['--port'], value: 'PORT' },
  config: { names: ['-c', '--config'], value: 'key=value' },
  help,
} satisfies Record<string, OptionSpec>;

function usage(message: string): UsageError {
  return new UsageError(message, 'inspect');
}

export function parseInspectCommand(args: readonly string[], env: NodeJS.ProcessEnv): { kind: 'inspect'; options: InspectOptions } | { kind: 'help'; topic: 'inspect' } {
  let connect: string | null = null;
  let tokenFile: string | null = null;
  let port = 0;
  const config: string[] = [];
  for (const token of tokens(args, inspectSpecs, 'inspect')) {
    if ('positional' in token) throw usage(`unexpected argument ${token.positional}`);
    if (token.option === 'help') return { kind: 'help', topic: 'inspect' };
    if (token.option === 'connect') connect = token.value;
    else if (token.option === 'tokenFile') tokenFile = path.resolve(token.value);
    else if (token.option === 'config') config.push(token.value);
    else if (token.option === 'port') {
      port = Number(token.value);
      if (!/^\d{1,5}$/.test(token.value) || port > 65535) throw usage(`--port ${token.value}: expected a port number (0 for a free one)`);
    }
  }
  if (connect === null) {
    if (tokenFile !== null) throw usage('--token-file goes with --connect ws://…');
    return { kind: 'inspect', options: { target: { kind: 'own', config }, port } };
  }
  if (config.length > 0) throw usage('-c configures the Keel the inspector starts; with --connect, configure that server instead');
  return { kind: 'inspect', options: { target: targetOf(connect, tokenFile, env), port } };
}

function targetOf(url: string, tokenFile: string | null, env: NodeJS.ProcessEnv): InspectTarget {
  if (url.startsWith('unix://')) {
    if (tokenFile !== null) throw usage('--token-file goes with ws:// (a unix socket is guarded by its file mode)');
    const socket = url.slice('unix://'.length);
    if (socket === '') return { kind: 'unix', path: defaultSocketPath(resolveHome(env)) };
    if (!path.isAbsolute(socket)) throw usage(`--connect ${url}: the socket path must be absolute (unix:///path/to.sock), or none for the default`);
    return { kind: 'unix', path: path.normalize(socket) };
  }
  if (/^wss?:\/\/[^/\s]+/.test(url)) return { kind: 'ws', url, tokenFile };
  throw usage(`--connect ${url}: expected ws://HOST:PORT or unix://[PATH]`);
}
