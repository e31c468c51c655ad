// The command line, as Codex's clients call `codex app-server`: `keel [app-server] [OPTIONS]` serves
// stdio, a unix socket or WebSocket (bare `keel` is the same; listen-options.ts), `keel app-server
// generate-json-schema|generate-ts --out DIR` writes the contract, `keel app-server proxy|daemon …`
// share one long-lived server (daemon-command-line.ts), `keel doctor` checks the host
// (doctor-command-line.ts), `--help` and `--version` print. Codex
// options that change nothing in Keel are accepted and ignored. Every start-up runs this, so it is
// plain string work: `-c` values stay text here and are parsed as TOML with the config, after the
// handshake.
import path from 'node:path';
import type { ConfigOverride } from '../config/config-overrides.js';
import { resolveHome } from '../config/home.js';
import { featureFlag, splitConfigFlag } from './config-flags.js';
import { listenSpecs, parseListenOptions, type ListenOptions, type ListenToken } from './listen-options.js';
import { help, tokens, UsageError, type OptionSpec, type Topic } from './options.js';
import { parseClientCommand, type ClientCommand } from './client-command-line.js';
import { parseDaemonCommand, type DaemonCommand } from './daemon-command-line.js';
import { parseDoctorCommand, type DoctorOptions } from './doctor-command-line.js';
import { parseInspectCommand, type InspectOptions } from './inspect-command-line.js';
import { parseAcpCommand, type AcpOptions } from './acp-command-line.js';

export { UsageError, type Topic } from './options.js';

export interface ServeOptions {
  home: string;
  /** SQLite file holding threads; `--db PATH`, else `$KEEL_DB`, else `$KEEL_HOME/keel.db`. */
  dbPath: string;
  /** `-c`, `--enable`, `--disable`, in command-line order. */
  configOverrides: ConfigOverride[];
  /** `--strict-config`: unknown keys in config.toml stop start-up. */
  strictConfig: boolean;
  /** `--listen`, `--stdio` and the WebSocket auth flags. */
  listen: ListenOptions;
}

export type Command =
  | { kind: 'serve'; options: ServeOptions }
  | { kind: 'generate'; target: 'json-schema' | 'ts'; outDir: string; experimental: boolean }
  | { kind: 'client'; run: ClientCommand }
  | { kind: 'daemon'; run: DaemonCommand }
  | { kind: 'doctor'; options: DoctorOptions }
  | { kind: 'inspect'; options: InspectOptions }
  | { kind: 'acp'; options: AcpOptions }
  | { kind: 'help'; topic: Topic }
  | { kind: 'version' };

const serveSpecs = {
  ...listenSpecs,
  config: { names: ['-c', '--config'], value: 'key=value' },
  enable: { names: ['--enable'], value: 'FEATURE' },
  disable: { names: ['--disable'], value: 'FEATURE' },
  strictConfig: { names: ['--strict-config'] },
  db: { names: ['--db'], value: 'PATH' },
  // Codex's, accepted for its clients: Keel sends no analytics and derives nothing from a session source.
  analyticsDefaultEnabled: { names: ['--analytics-default-enabled'] },
  sessionSource: { names: ['--session-source'], value: 'SOURCE' },
  help,
  version: { names: ['-V', '--version'] },
} satisfies Record<string, OptionSpec>;

function checkFeature(name: string, feature: string): void {
  if (!/^[\w-]+$/.test(feature)) throw new UsageError(`${name} ${feature}: not a feature name`, 'server');
}

function parseServe(args: readonly string[], env: NodeJS.ProcessEnv, sawAppServer: boolean): Command {
  const home = resolveHome(env);
  let dbPath = env.KEEL_DB && env.KEEL_DB !== '' ? env.KEEL_DB : path.join(home, 'keel.db');
  const configOverrides: ConfigOverride[] = [];
  let strictConfig = false;
  const listenTokens: ListenToken[] = [];
  for (const token of tokens(args, serveSpecs, 'server')) {
    if ('positional' in token) {
      // Codex takes its global options before the subcommand too: `codex -c k=v app-server`.
      if (token.positional === 'app-server' && !sawAppServer) sawAppServer = true;
      else throw new UsageError(`unexpected argument ${token.positional}`, 'server');
      continue;
    }
    const { option, name, value } = token;
    if (option === 'help') return { kind: 'help', topic: 'server' };
    if (option === 'version') return { kind: 'version' };
    if (Object.hasOwn(listenSpecs, option)) listenTokens.push(token);
    else if (option === 'config') {
      try {
        configOverrides.push(splitConfigFlag(value));
      } catch (error) {
        throw new UsageError(`${name} ${value}: ${(error as Error).message}`, 'server');
      }
    } else if (option === 'enable' || option === 'disable') {
      checkFeature(name, value);
      configOverrides.push(featureFlag(value, option === 'enable'));
    } else if (option === 'strictConfig') strictConfig = true;
    else if (option === 'db') dbPath = value;
  }
  const listen = parseListenOptions(listenTokens, home);
  return { kind: 'serve', options: { home, dbPath: dbPath === ':memory:' ? dbPath : path.resolve(dbPath), configOverrides, strictConfig, listen } };
}

const generateSpecs = {
  out: { names: ['-o', '--out'], value: 'DIR' },
  experimental: { names: ['--experimental'] },
  help,
} satisfies Record<string, OptionSpec>;

// Keel's TypeScript comes formatted; Codex's Prettier option is accepted and changes nothing.
const generateTsSpecs = { ...generateSpecs, prettier: { names: ['-p', '--prettier'], value: 'PRETTIER_BIN' } } satisfies Record<string, OptionSpec>;

function parseGenerate(topic: 'generate-json-schema' | 'generate-ts', args: readonly string[]): Command {
  let outDir: string | undefined;
  let experimental = false;
  for (const token of tokens(args, topic === 'generate-ts' ? generateTsSpecs : generateSpecs, topic)) {
    if ('positional' in token) throw new UsageError(`unexpected argument ${token.positional}`, topic);
    if (token.option === 'help') return { kind: 'help', topic };
    if (token.option === 'out') outDir = token.value;
    else if (token.option === 'experimental') experimental = true;
  }
  if (outDir === undefined || outDir === '') throw new UsageError(`${topic} needs --out DIR`, topic);
  return { kind: 'generate', target: topic === 'generate-ts' ? 'ts' : 'json-schema', outDir: path.resolve(outDir), experimental };
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  if (argv[0] === 'exec' || argv[0] === 'threads' || argv[0] === 'show') return parseClientCommand(argv[0], argv.slice(1));
  if (argv[0] === 'doctor') return parseDoctorCommand(argv.slice(1), env);
  if (argv[0] === 'inspect') return parseInspectCommand(argv.slice(1), env);
  if (argv[0] === 'acp') return parseAcpCommand(argv.slice(1), env);
  const appServer = argv[0] === 'app-server';
  const sub = appServer ? argv[1] : undefined;
  if (sub === 'generate-json-schema' || sub === 'generate-ts') return parseGenerate(sub, argv.slice(2));
  if (sub === 'proxy' || sub === 'daemon') return parseDaemonCommand(sub, argv.slice(2), env);
  return parseServe(appServer ? argv.slice(1) : argv, env, appServer);
}
