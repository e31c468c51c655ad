// The commands that share one long-lived app-server per KEEL_HOME: `keel app-server proxy` bridges
// a JSONL client on stdio to the daemon's socket (starting the daemon when none listens), and
// `keel app-server daemon start|stop|status` manages it. Plain string work, like the rest of the
// command line; the commands themselves load lazily (src/cli/daemon/).
import path from 'node:path';
import { resolveHome } from '../config/home.js';
import { splitConfigFlag } from './config-flags.js';
import { help, tokens, UsageError, type OptionSpec } from './options.js';

export type DaemonAction = 'start' | 'stop' | 'status';

export type DaemonCommand =
  | { command: 'proxy'; home: string; socketPath: string; noStart: boolean }
  | { command: 'daemon'; action: DaemonAction; home: string; socketPath: string; config: string[] };

/** Where the daemon listens unless `--sock` says otherwise (Codex's layout under its home). */
export function defaultSocketPath(home: string): string {
  return path.join(home, 'app-server-control', 'app-server-control.sock');
}

const sock = { names: ['--sock'], value: 'PATH' } satisfies OptionSpec;
const proxySpecs = { sock, noStart: { names: ['--no-start'] }, help } satisfies Record<string, OptionSpec>;
const daemonSpecs = { sock, config: { names: ['-c', '--config'], value: 'key=value' }, help } satisfies Record<string, OptionSpec>;
const ACTIONS: readonly DaemonAction[] = ['start', 'stop', 'status'];

export function parseDaemonCommand(
  sub: 'proxy' | 'daemon',
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { kind: 'daemon'; run: DaemonCommand } | { kind: 'help'; topic: 'proxy' | 'daemon' } {
  const home = resolveHome(env);
  const list = tokens(args, sub === 'proxy' ? proxySpecs : daemonSpecs, sub);
  let socketPath = defaultSocketPath(home);
  let noStart = false;
  const config: string[] = [];
  const words: string[] = [];
  for (const token of list) {
    if ('positional' in token) {
      words.push(token.positional);
      continue;
    }
    const { option, name, value } = token;
    if (option === 'help') return { kind: 'help', topic: sub };
    if (option === 'sock') {
      if (value === '') throw new UsageError(`${name} needs a path`, sub);
      socketPath = path.resolve(value);
    } else if (option === 'noStart') noStart = true;
    else if (option === 'config') {
      try {
        splitConfigFlag(value);
      } catch (error) {
        throw new UsageError(`${name} ${value}: ${(error as Error).message}`, sub);
      }
      config.push(value);
    }
  }
  if (sub === 'proxy') {
    if (words.length > 0) throw new UsageError(`unexpected argument ${words[0]}`, 'proxy');
    return { kind: 'daemon', run: { command: 'proxy', home, socketPath, noStart } };
  }
  const [action, extra] = words;
  if (action === undefined) throw new UsageError('daemon needs an action: start, stop or status', 'daemon');
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown daemon action ${action} (expected start, stop or status)`, 'daemon');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`, 'daemon');
  if (action !== 'start' && config.length > 0) throw new UsageError(`-c is for daemon start only`, 'daemon');
  return { kind: 'daemon', run: { command: 'daemon', action: action as DaemonAction, home, socketPath, config } };
}
