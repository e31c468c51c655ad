import os from 'node:os';
import path from 'node:path';

/** Keel's home: `$KEEL_HOME`, else `~/.keel`, always absolute. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.KEEL_HOME;
  return path.resolve(configured && configured !== '' ? configured : path.join(os.homedir(), '.keel'));
}
