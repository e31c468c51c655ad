// Bundles the server into one CommonJS file: on Node 20 a single CJS bundle starts markedly faster
// than the equivalent ESM (measured with bench/cold-start.mjs). Heavy subsystems stay behind
// dynamic imports, which esbuild turns into lazily run module initialisers.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { keel: 'src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  // Less to parse at start-up; the source map keeps stack traces readable.
  minify: true,
  external: ['better-sqlite3'],
  define: { KEEL_VERSION: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
