// npm run gen: rewrites schema/, generated/ and the Codex surface list from the method table.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAll, staleFiles } from './codegen/render.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = await renderAll(root);
for (const stale of staleFiles(root, files)) fs.rmSync(path.join(root, stale));
for (const [rel, content] of files) {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== content) fs.writeFileSync(abs, content);
}
process.stderr.write(`keel gen: ${files.size} files up to date\n`);
