// Builds the Inspector page (clients/web) into dist/inspector/: index.html, app.js and
// app.css (one minified bundle each, every library inside: the page fetches nothing from anywhere
// at run time) and schema.json, the protocol's JSON Schema the request console builds its forms
// from, loaded only when the console opens. scripts/build.mjs runs it with the server build.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
const page = new URL('clients/web/', root);
const out = new URL('dist/inspector/', root);

export async function buildInspector() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { app: fileURLToPath(new URL('src/main.tsx', page)) },
    outdir: fileURLToPath(out),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) copyFileSync(new URL(file, page), new URL(file, out));
  writeFileSync(new URL('schema.json', out), JSON.stringify(consoleSchema()));
}

/**
 * What the request console needs and no more: each client request (name, stability, summary, its
 * params' definition) and the definitions those params reach through `$ref`.
 */
function consoleSchema() {
  const methods = JSON.parse(readFileSync(new URL('schema/methods.json', root), 'utf8')).filter((entry) => entry.direction === 'clientRequest');
  const all = JSON.parse(readFileSync(new URL('schema/keel.schema.json', root), 'utf8')).definitions;
  const definitions = {};
  const visit = (name) => {
    if (name in definitions || !(name in all)) return;
    definitions[name] = all[name];
    for (const match of JSON.stringify(all[name]).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) visit(match[1]);
  };
  for (const entry of methods) if (entry.params !== null) visit(entry.params);
  return {
    methods: methods.map(({ method, stability, params, summary }) => ({ method, stability, params, summary })),
    definitions,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildInspector();
