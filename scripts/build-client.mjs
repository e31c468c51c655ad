// Builds the client library (clients/typescript) for use from other projects: ESM bundles,
// dist/index.js (Node) and dist/websocket.js (browsers), each with the core reducer it folds with
// inside, and their declarations from tsc (under dist/types, mirroring the repo, since they name
// core's and generated/'s types).
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
  const common = { bundle: true, format: 'esm', sourcemap: true, legalComments: 'none', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [fileURLToPath(new URL('keel-client.ts', client))],
    outfile: fileURLToPath(new URL('index.js', dist)),
    platform: 'node',
    target: 'node20',
  });
  // `@keel/client/websocket`: the protocol side over a WHATWG WebSocket, nothing of Node's, for
  // browsers (the Inspector page) and other runtimes; the browser platform fails on a node: import.
  await build({
    ...common,
    entryPoints: [fileURLToPath(new URL('websocket.ts', client))],
    outfile: fileURLToPath(new URL('websocket.js', dist)),
    platform: 'browser',
    target: 'es2022',
  });
  await declarations;
  writeFileSync(new URL('index.d.ts', dist), "export * from './types/clients/typescript/keel-client.js';\n");
  writeFileSync(new URL('websocket.d.ts', dist), "export * from './types/clients/typescript/websocket.js';\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildClient();
