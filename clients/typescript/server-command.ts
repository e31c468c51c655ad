// Where `KeelClient.spawn()` finds Keel when not told: the built server of the checkout this file
// lives in (as source in clients/typescript/, or bundled in clients/typescript/dist/), else `keel`
// on the PATH.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export function defaultServerCommand(): { command: string; args: string[] } {
  // Empty when bundled into CommonJS (esbuild leaves import.meta as {}): no checkout to look in.
  const here: string | undefined = import.meta.url;
  for (const up of here ? ['../../', '../../../'] : []) {
    const root = new URL(up, here);
    if (isKeelCheckout(root)) return { command: process.execPath, args: [fileURLToPath(new URL('dist/keel.cjs', root))] };
  }
  return { command: 'keel', args: [] };
}

function isKeelCheckout(root: URL): boolean {
  try {
    return (JSON.parse(fs.readFileSync(new URL('package.json', root), 'utf8')) as { name?: string }).name === 'keel';
  } catch {
    return false;
  }
}
