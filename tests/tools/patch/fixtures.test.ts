// The patch engine against fixture trees, in real temp directories. Each fixture is a directory:
//   before/                the tree the patch starts from (absent: empty)
//   patch.txt              a `*** Begin Patch` text or a unified diff
//   command.sh             instead of patch.txt: a shell command carrying the patch in a heredoc
//   after/                 the whole tree expected afterwards, byte for byte
//   failure.json/.txt      instead of after/: the failure (paths under the tree as <root>) and its
//                          words for the model; the tree must then be exactly as before.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlanned, extractHeredocPatch, formatPatchFailure, planPatchText } from '../../../src/tools/patch/index.js';
import { readTree, treeFrom, treeHash } from './tree.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const names = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The patch text and the directory it applies in. */
function patchOf(fixture: string, root: string): { text: string; cwd: string } {
  const command = path.join(fixture, 'command.sh');
  if (!existsSync(command)) return { text: readFileSync(path.join(fixture, 'patch.txt'), 'utf8'), cwd: root };
  const extracted = extractHeredocPatch(readFileSync(command, 'utf8'));
  if (extracted === null) throw new Error(`${command} is not an apply_patch heredoc`);
  return { text: extracted.patch, cwd: path.resolve(root, extracted.workdir ?? '.') };
}

describe('patch fixtures', () => {
  it('has one of each: success forms and failure kinds', () => {
    expect(names.filter((name) => name.startsWith('fail-')).length).toBeGreaterThanOrEqual(15);
    expect(names.filter((name) => !name.startsWith('fail-')).length).toBeGreaterThanOrEqual(20);
  });

  it.each(names)('%s', async (name) => {
    const fixture = path.join(FIXTURES, name);
    const root = treeFrom(path.join(fixture, 'before'));
    const { text, cwd } = patchOf(fixture, root);
    const planned = await planPatchText(text, cwd);
    if (existsSync(path.join(fixture, 'after'))) {
      if (!planned.ok) throw new Error(formatPatchFailure(planned.failure, root));
      expect(await applyPlanned(planned.changes)).toEqual({ ok: true });
      expect(readTree(root)).toEqual(readTree(path.join(fixture, 'after')));
      return;
    }
    const hashBefore = treeHash(root);
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    const expected = JSON.parse(readFileSync(path.join(fixture, 'failure.json'), 'utf8').replaceAll('<root>', root));
    expect(planned.failure).toEqual(expected);
    expect(`${formatPatchFailure(planned.failure, root)}\n`).toBe(readFileSync(path.join(fixture, 'failure.txt'), 'utf8'));
    expect(treeHash(root)).toBe(hashBefore);
    expect(readTree(root)).toEqual(readTree(path.join(fixture, 'before')));
  });
});
