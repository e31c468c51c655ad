// schema/, generated/ and the Codex surface list are rendered from the method table and
// committed; this fails when they no longer match what `npm run gen` would write.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { renderAll, staleFiles } from '../scripts/codegen/render.js';
import { repoRoot } from './helpers/conformance.js';

it('generated files match the method table', async () => {
  const rendered = await renderAll(repoRoot);
  const drifting = [...rendered]
    .filter(([rel, content]) => {
      const abs = path.join(repoRoot, rel);
      return !fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== content;
    })
    .map(([rel]) => rel);
  const stale = staleFiles(repoRoot, rendered).map((rel) => `${rel} (no longer generated)`);
  const problems = [...drifting, ...stale];
  if (problems.length > 0) {
    expect.fail(`Generated files are out of date; run \`npm run gen\` and commit the result. Drifting:\n  ${problems.join('\n  ')}`);
  }
});
