// app-server.md is the contract clients read: every client request in the method table must
// appear in it, as a heading or a backticked name.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { methodTable } from '../src/protocol/method-table.js';
import { repoRoot } from './helpers/conformance.js';

const docPath = path.join(repoRoot, 'app-server.md');

function mentions(doc: string, method: string): boolean {
  if (doc.includes(`\`${method}\``)) return true;
  return doc.split('\n').some((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s*/, '').split(/[\s`]+/).includes(method));
}

it('app-server.md mentions every client request method', () => {
  if (!fs.existsSync(docPath)) expect.fail(`${docPath} is missing: it must document every client request`);
  const doc = fs.readFileSync(docPath, 'utf8');
  const missing = Object.entries(methodTable)
    .filter(([method, spec]) => spec.direction === 'clientRequest' && !mentions(doc, method))
    .map(([method]) => method);
  if (missing.length > 0) expect.fail(`app-server.md does not mention these client requests:\n  ${missing.join('\n  ')}`);
});
