// `keel app-server generate-json-schema --out DIR` and `generate-ts --out DIR`: Keel's contract
// written the way Codex's generators write theirs (a bundle plus one file per message type; the
// TypeScript with an index.ts), copied from the artifacts that ship beside the bundle — `schema/`
// and `generated/`, which `npm run gen` derives from the method table and a test keeps in step.
// Without `--experimental` the experimental methods and fields are left out, as Codex does.
import fs from 'node:fs';
import path from 'node:path';
import { stableBundle, stableIndex, stableMessage, type SurfaceEntry } from '../protocol/stable-surface.js';

export interface ContractRequest {
  target: 'json-schema' | 'ts';
  outDir: string;
  experimental: boolean;
  /** The directory holding `schema/` and `generated/`: the package root, dist/.. */
  packageRoot: string;
}

type Json = Record<string, unknown>;

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function fromInstallation<T>(where: string, read: (where: string) => T): T {
  try {
    return read(where);
  } catch (error) {
    throw new Error(`the contract is missing from this installation: cannot read ${where} (${(error as NodeJS.ErrnoException).code})`);
  }
}

const readSource = (file: string) => fromInstallation(file, (f) => fs.readFileSync(f, 'utf8'));

/** File name → content, as the JSON Schema command writes them. */
function jsonSchemaFiles(schemaDir: string, experimental: boolean): Map<string, string> {
  const bundle = readSource(path.join(schemaDir, 'keel.schema.json'));
  const methods = readSource(path.join(schemaDir, 'methods.json'));
  const messagesDir = path.join(schemaDir, 'messages');
  const messages = fromInstallation(messagesDir, (dir) => fs.readdirSync(dir)).filter((name) => name.endsWith('.json')).sort();
  const files = new Map<string, string>();
  if (experimental) {
    // The committed files byte for byte: they are the whole contract.
    files.set('keel.schema.json', bundle).set('methods.json', methods);
    for (const name of messages) files.set(name, readSource(path.join(messagesDir, name)));
    return files;
  }
  const index = JSON.parse(methods) as SurfaceEntry[];
  files.set('keel.schema.json', json(stableBundle(JSON.parse(bundle) as Json, index))).set('methods.json', json(stableIndex(index)));
  for (const name of messages) {
    const stable = stableMessage(name.slice(0, -'.json'.length), JSON.parse(readSource(path.join(messagesDir, name))) as Json, index);
    if (stable !== null) files.set(name, json(stable));
  }
  return files;
}

/** The TypeScript: `npm run gen` renders both surfaces, generated/ and generated/stable/. */
function typeScriptFiles(generatedDir: string, experimental: boolean): Map<string, string> {
  const dir = experimental ? generatedDir : path.join(generatedDir, 'stable');
  return new Map(['protocol.ts', 'methods.ts', 'index.ts'].map((name) => [name, readSource(path.join(dir, name))]));
}

/** Writes the files into `outDir` (created when missing); returns their names. */
export function writeContract({ target, outDir, experimental, packageRoot }: ContractRequest): string[] {
  const files =
    target === 'json-schema'
      ? jsonSchemaFiles(path.join(packageRoot, 'schema'), experimental)
      : typeScriptFiles(path.join(packageRoot, 'generated'), experimental);
  try {
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, content] of files) fs.writeFileSync(path.join(outDir, name), content);
  } catch (error) {
    throw new Error(`cannot write ${outDir}: ${(error as Error).message}`);
  }
  return [...files.keys()];
}
