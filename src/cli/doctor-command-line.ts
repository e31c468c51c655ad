// `keel doctor [--json] [-c key=value]... [--db PATH]`: checks what Keel needs on this host and
// says how to fix each problem (cli/doctor/). Plain string work, like the rest of the command line.
import path from 'node:path';
import type { ConfigOverride } from '../config/config-overrides.js';
import { resolveHome } from '../config/home.js';
import { splitConfigFlag } from './config-flags.js';
import { help, tokens, UsageError, type OptionSpec } from './options.js';

export interface DoctorOptions {
  home: string;
  /** The thread database to check: `--db PATH`, else `$KEEL_DB`, else `$KEEL_HOME/keel.db` (as serving). */
  dbPath: string;
  configOverrides: ConfigOverride[];
  json: boolean;
}

const doctorSpecs = {
  json: { names: ['--json'] },
  config: { names: ['-c', '--config'], value: 'key=value' },
  db: { names: ['--db'], value: 'PATH' },
  help,
} satisfies Record<string, OptionSpec>;

export function parseDoctorCommand(args: readonly string[], env: NodeJS.ProcessEnv): { kind: 'doctor'; options: DoctorOptions } | { kind: 'help'; topic: 'doctor' } {
  const home = resolveHome(env);
  const options: DoctorOptions = { home, dbPath: env.KEEL_DB && env.KEEL_DB !== '' ? env.KEEL_DB : path.join(home, 'keel.db'), configOverrides: [], json: false };
  for (const token of tokens(args, doctorSpecs, 'doctor')) {
    if ('positional' in token) throw new UsageError(`unexpected argument ${token.positional}`, 'doctor');
    if (token.option === 'help') return { kind: 'help', topic: 'doctor' };
    if (token.option === 'json') options.json = true;
    else if (token.option === 'db') options.dbPath = token.value;
    else if (token.option === 'config') {
      try {
        options.configOverrides.push(splitConfigFlag(token.value));
      } catch (error) {
        throw new UsageError(`${token.name} ${token.value}: ${(error as Error).message}`, 'doctor');
      }
    }
  }
  return { kind: 'doctor', options: { ...options, dbPath: options.dbPath === ':memory:' ? options.dbPath : path.resolve(options.dbPath) } };
}
