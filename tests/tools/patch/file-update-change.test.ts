// Planned changes as the protocol's FileUpdateChange, and the engine's output checked against
// Codex's published schema: a `fileChange` thread item and a `turn/diff/updated` notification.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaBundlePath } from '../../../scripts/codex-protocol-path.js';
import { aggregateDiff } from '../../../src/tools/patch/aggregate.js';
import { toFileUpdateChange } from '../../../src/tools/patch/file-update-change.js';
import type { PlannedChange } from '../../../src/tools/patch/types.js';

const changes: PlannedChange[] = [
  { path: '/w/new.txt', kind: 'add', before: null, after: 'hi\n', diff: '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n' },
  { path: '/w/gone.txt', kind: 'delete', before: 'bye\n', after: null, diff: '--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n' },
  { path: '/w/a.txt', kind: 'update', before: 'a\n', after: 'b\n', diff: '--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n' },
  { path: '/w/old.txt', kind: 'update', movePath: '/w/d/new.txt', before: 'x\n', after: 'x\n', diff: '--- a/old.txt\n+++ b/d/new.txt\n' },
];

describe('toFileUpdateChange', () => {
  it("fills each change the way Codex does: content for add and delete, the hunks for an update, move_path", () => {
    expect(changes.map(toFileUpdateChange)).toEqual([
      { path: '/w/new.txt', kind: { type: 'add' }, diff: 'hi\n' },
      { path: '/w/gone.txt', kind: { type: 'delete' }, diff: 'bye\n' },
      { path: '/w/a.txt', kind: { type: 'update', move_path: null }, diff: '@@ -1 +1 @@\n-a\n+b\n' },
      { path: '/w/old.txt', kind: { type: 'update', move_path: '/w/d/new.txt' }, diff: '' },
    ]);
  });

  it("matches Codex's schema for a fileChange item and turn/diff/updated", () => {
    // Codex's integer formats (uint32, int64…) are not checked here: the item has none.
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    ajv.addSchema(JSON.parse(readFileSync(schemaBundlePath('stable'), 'utf8')), 'stable');
    const check = (definition: string, value: unknown) => {
      const validate = ajv.getSchema(`stable#/definitions/v2/${definition}`)!;
      expect({ valid: validate(value), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    };
    check('ThreadItem', { type: 'fileChange', id: 'item-1', status: 'completed', changes: changes.map(toFileUpdateChange) });
    check('TurnDiffUpdatedNotification', { threadId: 't', turnId: 'u', diff: aggregateDiff(changes, '/w') });
  });
});
