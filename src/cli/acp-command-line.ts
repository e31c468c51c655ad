// `keel acp [-c key=value]... [--enable|--disable FEATURE]... [--db PATH]`: Keel as an ACP agent on
// stdio (server/acp/). Plain string work, like the rest of the command line.
import path from 'node:path';
import type { ConfigOverride } from '../config/config-overrides.js';
import { resolveHome } from '../config/home.js';
import { featureFlag, splitConfigFlag } from './config-flags.js';
import { help, tokens, UsageError, type OptionSpec } from './options.js';

export interface AcpOptions {
  home: string;
  dbPath: string;
  configOverrides: ConfigOverride[];
}

const acpSpecs = {
  config: { names: ['-c', '--config'], value: 'key=value' },
  enable: { names: ['--enable'], value: 'FEATURE' },
  disable: { names: ['--disable'], value: 'FEATURE' },
  db: { names: ['--db'], value: 'PATH' },
  help,
} satisfies Record<string, OptionSpec>;

export function parseAcpCommand(args: readonly string[], env: NodeJS.ProcessEnv): { kind: 'acp'; options: AcpOptions } | { kind: 'help'; topic: 'acp' } {
  const home = resolveHome(env);
  let dbPath = env.KEEL_DB && env.KEEL_DB !== '' ? env.KEEL_DB : path.join(home, 'keel.db');
  const configOverrides: ConfigOverride[] = [];
  for (const token of tokens(args, acpSpecs, 'acp')) {
    if ('positional' in token) throw new UsageError(`unexpected argument ${token.positional}`, 'acp');
    if (token.option === 'help') return { kind: 'help', topic: 'acp' };
    if (token.option === 'db') dbPath = token.value;
    else if (token.option === 'enable' || token.option === 'disable') configOverrides.push(featureFlag(token.value, token.option === 'enable'));
    else if (token.option === 'config') {
      try {
        configOverrides.push(splitConfigFlag(token.value));
      } catch (error) {
        throw new UsageError(`${token.name} ${token.value}: ${(error as Error).message}`, 'acp');
      }
    }
  }
  return { kind: 'acp', options: { home, dbPath: dbPath === ':memory:' ? dbPath : path.resolve(dbPath), configOverrides } };
}
