// The stores of sections and attachments (engine/thread-organizer.ts) held to one contract: the
// kysely store on SQLite and on PostgreSQL (skipped without KEEL_TEST_PG_URL) and the memory one
// answer alike — sections in creation order, a section's threads in the order moves gave them,
// a second attachment of one (thread, type, key) the first one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadOrganizer } from '../../src/engine/thread-organizer.js';
import { uuidv7 } from '../../src/engine/ids.js';
import { openDatabase } from '../../src/store/database.js';
import { memoryTables } from '../../src/store/memory-thread-log.js';
import { MemoryThreadOrganizer } from '../../src/store/memory-thread-organizer.js';
import { openPgDatabase } from '../../src/store/postgres/pg-database.js';
import { SqlThreadOrganizer } from '../../src/store/sql-thread-organizer.js';
import { freshPgDatabase, pgSkipReason } from '../helpers/pg.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const kinds: Array<{ name: string; skip: string | null; open(): Promise<ThreadOrganizer> }> = [
  {
    name: 'SQLite',
    skip: null,
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-organizer-'));
      const database = await openDatabase(path.join(dir, 'keel.db'));
      closers.push(async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      return new SqlThreadOrganizer(database.db, 'sqlite', (work) => work());
    },
  },
  {
    name: 'memory',
    skip: null,
    open: async () => {
      const tables = memoryTables();
      return new MemoryThreadOrganizer(tables.organizer, tables.threads);
    },
  },
  {
    name: 'PostgreSQL',
    skip: pgSkipReason,
    async open() {
      const database = await openPgDatabase({ url: await freshPgDatabase(), poolSize: 2 });
      closers.push(() => database.close());
      return new SqlThreadOrganizer(database.db, 'postgres', (work) => work());
    },
  },
];

for (const kind of kinds) {
  describe.skipIf(kind.skip !== null)(`thread sections and attachments (${kind.name})`, () => {
    it('keeps sections in creation order, renames them, and a deleted one lets its threads go', async () => {
      const store = await kind.open();
      const a = { id: uuidv7(), name: 'A', appearance: { color: 'red', icon: null }, createdAt: 1 };
      const b = { id: uuidv7(), name: 'B', appearance: null, createdAt: 2 };
      await store.addSection(a);
      await store.addSection(b);
      expect(await store.sections(null, 10)).toEqual([a, b]);
      expect(await store.sections(a.id, 10)).toEqual([b]);
      expect(await store.updateSection(a.id, 'A2', undefined)).toEqual({ ...a, name: 'A2' });
      expect(await store.updateSection(b.id, 'B2', { color: 'green' })).toEqual({ ...b, name: 'B2', appearance: { color: 'green' } });
      expect(await store.updateSection('missing', 'x', undefined)).toBeNull();
      await store.place('t1', a.id, ['t1']);
      await store.place('t2', a.id, ['t1', 't2']);
      expect(await store.deleteSection(a.id)).toEqual(['t1', 't2']);
      expect([await store.sectionOf('t1'), await store.hasSection(a.id), await store.deleteSection(a.id)]).toEqual([null, false, null]);
      expect(await store.sections(null, 10)).toEqual([{ ...b, name: 'B2', appearance: { color: 'green' } }]);
    });

    it("keeps a section's threads in the order they were placed, and moves one to another section or out", async () => {
      const store = await kind.open();
      await store.addSection({ id: 's1', name: 'one', appearance: null, createdAt: 1 });
      await store.addSection({ id: 's2', name: 'two', appearance: null, createdAt: 2 });
      await store.place('t1', 's1', ['t1']);
      await store.place('t2', 's1', ['t1', 't2']);
      await store.place('t3', 's1', ['t3', 't1', 't2']);
      expect(await store.members('s1')).toEqual(['t3', 't1', 't2']);
      await store.place('t2', 's1', ['t2', 't3', 't1']);
      expect(await store.members('s1')).toEqual(['t2', 't3', 't1']);
      await store.place('t3', 's2', ['t3']);
      expect([await store.members('s1'), await store.members('s2'), await store.sectionOf('t3')]).toEqual([['t2', 't1'], ['t3'], 's2']);
      await store.place('t1', null, []);
      expect([await store.members('s1'), await store.sectionOf('t1')]).toEqual([['t2'], null]);
    });

    it('adds an attachment once per thread, type and key, pages them in creation order, removes one', async () => {
      const store = await kind.open();
      const first = { id: uuidv7(), threadId: 't1', attachmentType: 'pr', identityKey: 'k', payload: { n: 1 }, createdAt: 100 };
      expect(await store.addAttachment(first)).toEqual({ attachment: first, created: true });
      expect(await store.addAttachment({ ...first, id: uuidv7(), payload: { n: 2 } })).toEqual({ attachment: first, created: false });
      const second = { id: uuidv7(), threadId: 't1', attachmentType: 'pr', identityKey: 'k2', payload: ['a', null], createdAt: 101 };
      await store.addAttachment(second);
      await store.addAttachment({ ...first, id: uuidv7(), threadId: 't2' });
      expect(await store.attachments('t1', null, 10)).toEqual([first, second]);
      expect(await store.attachments('t1', first.id, 10)).toEqual([second]);
      expect(await store.attachment('t1', 'pr', 'k2')).toEqual(second);
      await store.removeAttachment(first.id);
      expect([await store.attachments('t1', null, 10), await store.attachment('t1', 'pr', 'k')]).toEqual([[second], null]);
    });
  });
}
