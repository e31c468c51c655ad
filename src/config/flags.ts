// Command-line flags and the environment variables that stand in for them.
import path from 'node:path';
import { resolveHome } from './home.js';

export interface KeelOptions {
  home: string;
  /** SQLite file holding threads; `--db PATH`, else `$KEEL_DB`, else `$KEEL_HOME/keel.db`. */
  dbPath: string;
}

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): KeelOptions {
  const home = resolveHome(env);
  let dbPath = env.KEEL_DB && env.KEEL_DB !== '' ? env.KEEL_DB : path.join(home, 'keel.db');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('--db needs a path');
      dbPath = value;
    } else if (arg.startsWith('--db=')) {
      dbPath = arg.slice('--db='.length);
    } else {
      throw new UsageError(`unknown argument: ${arg} (usage: keel [--db PATH])`);
    }
  }
  return { home, dbPath: dbPath === ':memory:' ? dbPath : path.resolve(dbPath) };
}
