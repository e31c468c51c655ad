// Builds the client library (clients/typescript) for use from other projects: one ESM bundle,
// dist/index.js, with the core reducer it folds with inside, and its declarations from tsc
// (under dist/types, mirroring the repo, since they name core's and generated/'s types).
// scripts/build.mjs runs it beside the server build; `npm run build:client` runs it alone.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const client = new URL('../clients/typescript/', import.meta.url);
const dist = new URL('dist/', client);
// typescript's exports map hides bin/; its package.json is exported.
const tsc = fileURLToPath(new URL('bin/tsc', pathToFileURL(createRequire(import.meta.url).resolve('typescript/package.json'))));

export async function buildClient() {
  rmSync(dist, { recursive: true, force: true });
  const declarations = promisify(execFile)(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', client))]).catch((error) => {
    throw new Error(`build: client declarations failed\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  await build({
    entryPoints: [fileURLToPath(new URL('keel-client.ts', client))],
    outfile: fileURLToPath(new URL('index.js', dist)),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await declarations;
  writeFileSync(new URL('index.d.ts', dist), "export * from './types/clients/typescript/keel-client.js';\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildClient();
