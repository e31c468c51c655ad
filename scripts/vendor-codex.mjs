// npm run vendor:codex [-- X.Y.Z] [--from DIR] [--against X.Y.Z] [--dry-run] [--methods FILE] [--transcripts DIR]
// Refreshes vendor/codex-protocol/<version>/ (see its README): installs the published
// @openai/codex package into a temporary directory outside the repository and copies the two JSON
// Schema bundles its app-server writes (or takes them from `--from DIR`, where they were generated
// already), then prints what changed against the version Keel uses now: methods and types added,
// removed and changed (scripts/protocol-diff.ts). The methods list and the transcripts are not in the
// package, so they are only copied when named. Runs under tsx (the npm script says so) because the
// version in use is named once, in codex-protocol-path.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { diffProtocols, formatProtocolDiff } from './protocol-diff.ts';
import { CODEX_PROTOCOL_VERSION, methodsFileName, schemaBundleName, transcriptsDirName, vendoredProtocolDir } from './codex-protocol-path.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The name `generate-json-schema --out DIR` gives the whole bundle (stable or experimental alike).
const GENERATED_BUNDLE = 'codex_app_server_protocol.schemas.json';
const USAGE = 'usage: npm run vendor:codex -- [X.Y.Z | --version X.Y.Z] [--from DIR] [--against X.Y.Z] [--dry-run] [--methods FILE] [--transcripts DIR]';

class Failure extends Error {}

const say = (line) => process.stdout.write(`vendor:codex: ${line}\n`);
const relative = (file) => path.relative(repoRoot, file);
const tail = (text, lines = 20) => (text ?? '').trim().split('\n').slice(-lines).join('\n');

function readOptions() {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        version: { type: 'string' },
        from: { type: 'string' },
        against: { type: 'string', default: CODEX_PROTOCOL_VERSION },
        'dry-run': { type: 'boolean', default: false },
        methods: { type: 'string' },
        transcripts: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new Failure(`${error.message}\n${USAGE}`);
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.version !== undefined)) throw new Failure(`name the version once\n${USAGE}`);
  values.version = positionals[0] ?? values.version ?? CODEX_PROTOCOL_VERSION;
  if (values.from !== undefined && !fs.statSync(values.from, { throwIfNoEntry: false })?.isDirectory()) throw new Failure(`--from ${values.from} is not a directory`);
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(values.version)) throw new Failure(`--version ${values.version} is not a release version like 0.169.0`);
  if (values.methods !== undefined && !fs.statSync(values.methods, { throwIfNoEntry: false })?.isFile()) {
    throw new Failure(`--methods ${values.methods} is not a file`);
  }
  if (values.transcripts !== undefined && !fs.statSync(values.transcripts, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Failure(`--transcripts ${values.transcripts} is not a directory`);
  }
  return values;
}

/** Every temp dir this run made, removed at the end whatever happened. */
const scratch = [];

/** A fresh directory under the system temp dir, refused if that lies inside the repository. */
function tempDir(purpose) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keel-vendor-codex-${purpose}-`));
  scratch.push(dir);
  if (!relative(dir).startsWith('..')) throw new Failure(`the temp dir ${dir} is inside the repository; set TMPDIR elsewhere`);
  return dir;
}

function installCodex(version, prefix) {
  say(`installing @openai/codex@${version} with npm into ${prefix}`);
  const args = ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `@openai/codex@${version}`];
  const result = spawnSync('npm', args, { cwd: prefix, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Failure(
      `npm install @openai/codex@${version} failed (${why}); is the npm registry reachable and the version published?\n` +
        `${tail(result.stderr) || tail(result.stdout)}`,
    );
  }
  const bin = path.join(prefix, 'node_modules', '.bin', 'codex');
  if (!fs.existsSync(bin)) throw new Failure(`npm installed @openai/codex@${version} but ${bin} is missing`);
  return bin;
}

/** Runs `codex app-server generate-json-schema` with a fresh CODEX_HOME; returns the bundle's path. */
function generateBundle(bin, surface) {
  const out = tempDir(`${surface}-out`);
  const codexHome = tempDir(`${surface}-home`);
  const args = ['app-server', 'generate-json-schema', ...(surface === 'experimental' ? ['--experimental'] : []), '--out', out];
  say(`running codex ${args.join(' ')} (CODEX_HOME=${codexHome})`);
  const result = spawnSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CODEX_HOME: codexHome } });
  if (result.error || result.status !== 0) {
    throw new Failure(`codex ${args.join(' ')} failed (${result.error?.message ?? `exit code ${result.status}`}):\n${tail(result.stderr)}`);
  }
  const bundle = path.join(out, GENERATED_BUNDLE);
  if (!fs.existsSync(bundle)) throw new Failure(`codex wrote no ${GENERATED_BUNDLE} into ${out}; it wrote: ${fs.readdirSync(out).join(', ')}`);
  return bundle;
}

/** Copies `from` to `to` and says whether the vendored copy was added, changed or already identical. */
function vendorFile(from, to) {
  const before = fs.existsSync(to) ? fs.readFileSync(to) : undefined;
  const after = fs.readFileSync(from);
  const verdict = before === undefined ? 'added' : before.equals(after) ? 'unchanged (byte-identical)' : 'CHANGED';
  fs.writeFileSync(to, after);
  say(`${relative(to)}: ${verdict}`);
}

/** Contents only, not modes: a read-only source must not leave read-only files in the checkout. */
function copyTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, copy] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) copyTree(source, copy);
    else fs.writeFileSync(copy, fs.readFileSync(source));
  }
}

function vendorTranscripts(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  copyTree(from, to);
  say(`${relative(to)}/: replaced by the ${fs.readdirSync(to).length} entries of ${from}`);
}

function generateBundles(bin) {
  return ['stable', 'experimental'].map((surface) => [surface, generateBundle(bin, surface)]);
}

/** Bundles generated elsewhere: the vendored names, or the name `generate-json-schema` gives, in DIR. */
function bundlesIn(dir) {
  return ['stable', 'experimental'].map((surface) => {
    const file = path.join(dir, schemaBundleName(surface));
    if (!fs.existsSync(file)) throw new Failure(`--from ${dir} has no ${schemaBundleName(surface)}`);
    return [surface, file];
  });
}

function main() {
  const options = readOptions();
  if (options.help) return say(USAGE);
  const { version } = options;
  const target = path.join(repoRoot, vendoredProtocolDir(version));
  // Both found or generated before either is copied, so a failure leaves vendor/ as it was.
  const bundles = options.from !== undefined ? bundlesIn(options.from) : generateBundles(installCodex(version, tempDir('npm')));
  // What it is compared with: the version in use, or the vendored one `--against` names.
  const current = path.join(repoRoot, vendoredProtocolDir(options.against));
  const readBundles = (find) => Object.fromEntries(['stable', 'experimental'].map((surface) => [surface, JSON.parse(fs.readFileSync(find(surface), 'utf8'))]));
  const diff = fs.existsSync(path.join(current, schemaBundleName('stable')))
    ? formatProtocolDiff(options.against, version, diffProtocols(readBundles((s) => path.join(current, schemaBundleName(s))), readBundles((s) => bundles.find(([name]) => name === s)[1])))
    : undefined;
  if (options['dry-run']) {
    if (diff !== undefined) process.stdout.write(diff);
    return say('--dry-run: vendor/ was not changed');
  }
  fs.mkdirSync(target, { recursive: true });
  for (const [surface, bundle] of bundles) vendorFile(bundle, path.join(target, schemaBundleName(surface)));
  if (options.methods !== undefined) vendorFile(options.methods, path.join(target, methodsFileName(version)));
  if (options.transcripts !== undefined) vendorTranscripts(options.transcripts, path.join(target, transcriptsDirName(version)));
  const notGiven = [
    ...(options.methods === undefined ? [`the methods list (${methodsFileName(version)}; --methods FILE)`] : []),
    ...(options.transcripts === undefined ? [`the transcripts (${transcriptsDirName(version)}/; --transcripts DIR)`] : []),
  ];
  if (notGiven.length > 0) {
    say(`not copied, since the package cannot produce them: ${notGiven.join(' and ')}; pass the option to copy from a place you name`);
  }
  if (diff !== undefined) process.stdout.write(diff);
  if (version !== CODEX_PROTOCOL_VERSION) {
    say(`tests and codegen still use ${CODEX_PROTOCOL_VERSION}: set CODEX_PROTOCOL_VERSION in src/protocol/codex-version.ts, then npm run gen and npm test`);
  } else {
    say('done; run npm run gen and npm test to see what a changed bundle means for Keel');
  }
}

try {
  main();
} catch (error) {
  if (!(error instanceof Failure)) throw error;
  // Every Failure is raised before the first copy into vendor/.
  process.stderr.write(`vendor:codex: FAILED: ${error.message}\nvendor:codex: vendor/ was not changed.\n`);
  process.exitCode = 1;
} finally {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
}
