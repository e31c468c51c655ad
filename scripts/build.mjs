// Bundles the server into dist/: keel-server.cjs (one CommonJS file: on Node 20 a single CJS
// bundle starts markedly faster than the ESM equivalent), one bundle per model SDK, required only
// when a provider first streams, and keel.cjs, the launcher that runs the server through a V8
// code cache (scripts/launcher.cjs); the client library (scripts/build-client.mjs) and the
// Inspector page (scripts/build-inspector.mjs).
import { copyFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { buildClient } from './build-client.mjs';
import { buildInspector } from './build-inspector.mjs';

// The client library (clients/typescript/dist) builds alongside: its declarations take tsc a few seconds.
const client = buildClient();
// The Inspector page (dist/inspector/), served by `keel inspect`.
const inspector = buildInspector();

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  // Less to parse at start-up; the source map keeps stack traces readable.
  minify: true,
  logLevel: 'warning',
};

/** The SDKs, each in its own bundle beside keel.cjs. */
// pg: only a Keel on PostgreSQL loads it (src/store/postgres/pg-module.ts).
const vendors = { openai: 'openai', anthropic: '@anthropic-ai/sdk', pg: 'pg' };

const sdkAsVendorBundle = {
  name: 'sdk-as-vendor-bundle',
  setup(b) {
    for (const [file, pkgName] of Object.entries(vendors)) {
      const filter = new RegExp(`^${pkgName.replace(/[/@.-]/g, (c) => `\\${c}`)}$`);
      b.onResolve({ filter }, () => ({ path: `./vendor-${file}.cjs`, external: true }));
    }
  },
};

/**
 * Parts of Keel only some runs need, each a bundle of its own required when first imported: the
 * client commands (`keel exec`…, with the client library), the daemon commands (`keel app-server
 * proxy|daemon`, with ws), `keel doctor`, the MCP library (with its SDK) and the socket listeners (with `ws`).
 * Keeping them out of keel-server.cjs keeps them off every start-up.
 */
const lazyParts = {
  'client-commands': { importPath: './cli/client/run-client.js', entry: 'src/cli/client/run-client.ts' },
  'daemon-commands': { importPath: './cli/daemon/run-daemon-command.js', entry: 'src/cli/daemon/run-daemon-command.ts' },
  // `keel doctor`, with the MCP library it starts servers with.
  doctor: { importPath: './cli/doctor/run-doctor.js', entry: 'src/cli/doctor/run-doctor.ts' },
  // `keel inspect`: the page's server (the page itself is built by build-inspector.mjs).
  inspect: { importPath: './cli/inspect/run-inspect.js', entry: 'src/cli/inspect/run-inspect.ts' },
  mcp: { importPath: '../mcp/index.js', entry: 'src/mcp/index.ts' },
  // The socket listeners and `ws`, for `--listen unix://` / `ws://` only.
  listeners: { importPath: './server/listeners/index.js', entry: 'src/server/listeners/index.ts' },
};

const lazyPartsAsBundles = {
  name: 'lazy-parts-as-bundles',
  setup(b) {
    for (const [file, { importPath }] of Object.entries(lazyParts)) {
      const filter = new RegExp(`^${importPath.replace(/[./-]/g, (c) => `\\${c}`)}$`);
      b.onResolve({ filter }, (args) => (args.kind === 'dynamic-import' ? { path: `./lazy-${file}.cjs`, external: true } : undefined));
    }
  },
};

await build({
  ...common,
  entryPoints: { 'keel-server': 'src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  external: ['better-sqlite3'],
  plugins: [sdkAsVendorBundle, lazyPartsAsBundles],
  // The client library (bundled for `keel exec`) finds its checkout through import.meta.url, which a
  // CommonJS bundle has not; keel exec always names the server to start, so none is needed.
  define: { KEEL_VERSION: JSON.stringify(pkg.version), 'import.meta.url': 'undefined' },
});

// esbuild keeps an external dynamic import as `import(…)`; inside CommonJS a plain require of the
// vendor bundle is what we want (no ESM loader, the same module.exports object).
const serverFile = new URL('../dist/keel-server.cjs', import.meta.url);
let server = readFileSync(serverFile, 'utf8');
for (const file of [...Object.keys(vendors).map((name) => `vendor-${name}`), ...Object.keys(lazyParts).map((name) => `lazy-${name}`)]) {
  const dynamic = `import("./${file}.cjs")`;
  if (!server.includes(dynamic)) throw new Error(`build: expected ${dynamic} in keel-server.cjs`);
  server = server.replaceAll(dynamic, `Promise.resolve().then(()=>require("./${file}.cjs"))`);
}
writeFileSync(serverFile, server);
const launcher = new URL('../dist/keel.cjs', import.meta.url);
copyFileSync(new URL('./launcher.cjs', import.meta.url), launcher);
chmodSync(launcher, 0o755);

for (const [file, { entry }] of Object.entries(lazyParts)) {
  await build({
    ...common,
    entryPoints: [entry],
    outfile: `dist/lazy-${file}.cjs`,
    external: ['better-sqlite3'],
    plugins: [sdkAsVendorBundle],
    define: { KEEL_VERSION: JSON.stringify(pkg.version), 'import.meta.url': 'undefined' },
  });
}

for (const [file, pkgName] of Object.entries(vendors)) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkgName)});`, resolveDir: '.', loader: 'js' },
    outfile: `dist/vendor-${file}.cjs`,
  });
}

await client;
await inspector;
