// Versioned schema migrations, written ONCE with kysely's schema builder and compiled for each
// dialect: SQLite (the embedded store; tracked in user_version, applied synchronously here) and
// PostgreSQL (tracked in a `keel_schema` table, applied by postgres/pg-migrations.ts). A database
// written by a newer Keel is refused untouched: an older binary cannot know what the newer schema
// means.
//
// The dialects differ in one type: SQLite's INTEGER is 64-bit, PostgreSQL's is not, and ms
// timestamps exceed int4 — so every integer column is `int` below (INTEGER on SQLite, BIGINT on
// PostgreSQL, which the PostgreSQL pool parses back to a number).
import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Compilable, type RawBuilder } from 'kysely';
import { backfillSearchIndex } from './search-backfill.js';

/** What a migration is written against: the schema builder of the dialect and its integer type. */
export interface MigrationTarget {
  db: Kysely<any>;
  int: 'integer' | 'bigint';
  dialect: 'sqlite' | 'postgres';
}

/** Each migration: the statements it runs, in order, inside one transaction. */
export const MIGRATIONS: ReadonlyArray<(target: MigrationTarget) => Compilable[]> = [
  ({ db, int, dialect }) => [
    db.schema
      .createTable('events')
      .addColumn('thread_id', 'text', (c) => c.notNull())
      .addColumn('seq', int, (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('v', int, (c) => c.notNull())
      .addColumn('at', int, (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pkey', ['thread_id', 'seq'])
      // The log is read by (thread, seq) only: SQLite keeps it in that order without a rowid.
      .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table)),
    db.schema
      .createTable('threads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('preview', 'text', (c) => c.notNull())
      .addColumn('cwd', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('model_provider', 'text', (c) => c.notNull())
      .addColumn('reasoning_effort', 'text')
      .addColumn('created_at', int, (c) => c.notNull())
      .addColumn('updated_at', int, (c) => c.notNull())
      .addColumn('archived', int, (c) => c.notNull().defaultTo(0))
      .addColumn('active', int, (c) => c.notNull().defaultTo(0))
      .addColumn('forked_from_id', 'text')
      .addColumn('cli_version', 'text', (c) => c.notNull())
      .addColumn('last_seq', int, (c) => c.notNull().defaultTo(0)),
    db.schema.createIndex('threads_by_created').on('threads').columns(['archived', 'created_at', 'id']),
    db.schema.createIndex('threads_by_updated').on('threads').columns(['archived', 'updated_at', 'id']),
    db.schema.createIndex('threads_active').on('threads').column('active').where(sql.ref('active'), '=', 1),
  ],
  // Checkpoints of long threads' state: a load parses one and replays only the events after it.
  ({ db, int }) => [
    db.schema
      .createTable('checkpoints')
      .addColumn('thread_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', int, (c) => c.notNull())
      .addColumn('v', int, (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull()),
  ],
  // The summary row is folded from the events appended (projections/summary-fold.ts): it keeps the
  // active turn and the pending file writes that decide `active`. NULL: not kept yet (a row written
  // before this version), seeded from the thread's state at its next append. An inactive row has
  // neither, so only active rows wait for that.
  ({ db }) => [
    db.schema.alterTable('threads').addColumn('active_turn_id', 'text'),
    db.schema.alterTable('threads').addColumn('pending_writes', 'text'),
    db.updateTable('threads').set({ pending_writes: '[]' }).where('active', '=', 0),
  ],
  // One owner per thread (engine/thread-leases.ts): the processes that run threads, each beating
  // (heartbeat_at, expires_at: ms since the epoch), and which one runs each thread.
  ({ db, int }) => [
    db.schema
      .createTable('keel_owners')
      .addColumn('owner_id', 'text', (c) => c.primaryKey())
      .addColumn('pid', int, (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('start_time', 'text')
      .addColumn('boot_id', 'text')
      .addColumn('address', 'text')
      .addColumn('started_at', int, (c) => c.notNull())
      .addColumn('heartbeat_at', int, (c) => c.notNull())
      .addColumn('expires_at', int, (c) => c.notNull()),
    db.schema
      .createTable('thread_leases')
      .addColumn('thread_id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('taken_at', int, (c) => c.notNull()),
    db.schema.createIndex('thread_leases_by_owner').on('thread_leases').column('owner_id'),
  ],
  // Thread search (issue 25). `has_turns`: thread/list lists only threads that had a turn, as
  // Codex; set for existing threads from their logs. On SQLite, the full-text index: one document
  // per searchable item (projections/search-fold.ts) and an FTS5 trigram index over their text,
  // kept in step by triggers; BACKFILLS[4] fills it from the existing logs in this same step.
  // PostgreSQL has no full-text index yet: thread/search answers that it is not supported there.
  ({ db, int, dialect }) => [
    db.schema.alterTable('threads').addColumn('has_turns', int, (c) => c.notNull().defaultTo(0)),
    db.updateTable('threads').set({ has_turns: 1 }).where(({ exists, selectFrom }) =>
      exists(
        selectFrom('events')
          .select('seq')
          .whereRef('events.thread_id', '=', 'threads.id')
          .where((eb) => eb.or([
            eb('type', '=', 'turn/started'),
            eb.and([
              eb('type', '=', 'thread/created'),
              dialect === 'sqlite'
                ? sql<boolean>`coalesce(json_array_length(body, '$.turns'), 0) > 0`
                : sql<boolean>`coalesce(jsonb_array_length((body::jsonb)->'turns'), 0) > 0`,
            ]),
          ])),
      )),
    ...(dialect === 'sqlite' ? sqliteSearchIndex(db) : []),
  ],
  // Migration 6 (issue 25, "meta"): thread
  // sections (a user's named groups of threads), which section a thread is in and where, and thread
  // attachments (a client's records kept with a thread, one per type and identity key). Not
  // events: they are the store's, as in Codex. thread/delete removes a thread's rows after its log.
  ({ db, int }) => [
    db.schema
      .createTable('thread_sections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('appearance', 'text')
      .addColumn('created_at', int, (c) => c.notNull()),
    db.schema
      .createTable('thread_section_members')
      .addColumn('thread_id', 'text', (c) => c.primaryKey())
      .addColumn('section_id', 'text', (c) => c.notNull())
      .addColumn('position', int, (c) => c.notNull()),
    db.schema.createIndex('thread_section_members_by_section').on('thread_section_members').columns(['section_id', 'position']),
    db.schema
      .createTable('thread_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('thread_id', 'text', (c) => c.notNull())
      .addColumn('attachment_type', 'text', (c) => c.notNull())
      .addColumn('identity_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', int, (c) => c.notNull()),
    db.schema.createIndex('thread_attachments_by_thread').on('thread_attachments').columns(['thread_id', 'attachment_type', 'identity_key']).unique(),
    db.schema.createIndex('thread_attachments_by_identity').on('thread_attachments').columns(['attachment_type', 'identity_key', 'thread_id']),
  ],
];

/** The full-text index of SQLite: documents, their FTS5 index (trigram: any substring of 3+ characters, any case) and the triggers that keep it. */
function sqliteSearchIndex(db: Kysely<any>): Compilable[] {
  const raw = (statement: RawBuilder<unknown>): Compilable => ({ compile: () => statement.compile(db) });
  return [
    db.schema
      .createTable('thread_search_docs')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('thread_id', 'text', (c) => c.notNull())
      .addColumn('turn_id', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      // When the item completed (its event's `at`): documents are inserted in time order, which
      // lets the newest-first search stop early (thread-index.ts).
      .addColumn('at', 'integer', (c) => c.notNull()),
    db.schema.createIndex('thread_search_docs_by_item').on('thread_search_docs').columns(['thread_id', 'item_id']).unique(),
    raw(sql`create virtual table thread_search_fts using fts5(text, content='thread_search_docs', content_rowid='id', tokenize='trigram')`),
    raw(sql`create trigger thread_search_docs_ai after insert on thread_search_docs begin
      insert into thread_search_fts(rowid, text) values (new.id, new.text); end`),
    raw(sql`create trigger thread_search_docs_ad after delete on thread_search_docs begin
      insert into thread_search_fts(thread_search_fts, rowid, text) values ('delete', old.id, old.text); end`),
    raw(sql`create trigger thread_search_docs_au after update of text on thread_search_docs begin
      insert into thread_search_fts(thread_search_fts, rowid, text) values ('delete', old.id, old.text);
      insert into thread_search_fts(rowid, text) values (new.id, new.text); end`),
  ];
}

/** What a migration does on SQLite past its statements, in the same transaction, keyed by its index in MIGRATIONS. */
export const BACKFILLS: Readonly<Partial<Record<number, (sqlite: Database.Database) => void>>> = {
  4: backfillSearchIndex,
};

export const SCHEMA_VERSION = MIGRATIONS.length;

export class NewerDatabaseError extends Error {
  constructor(where: string, found: number) {
    super(`database ${where} has schema version ${found}, newer than this Keel knows (${SCHEMA_VERSION}); refusing to open it — upgrade Keel or use another --db`);
  }
}

export function refuseNewer(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new NewerDatabaseError(file, current);
}

/**
 * Brings a SQLite database to SCHEMA_VERSION, one step per write transaction. The version is read
 * again inside each transaction: two processes opening one new database at once both get here, and
 * the second must find the step done rather than run it again.
 */
export function migrate(db: Database.Database, file: string): void {
  refuseNewer(db, file);
  // Compiling needs a dialect, not a connection: nothing is executed through this Kysely.
  const target: MigrationTarget = { db: new Kysely<any>({ dialect: new SqliteDialect({ database: db }) }), int: 'integer', dialect: 'sqlite' };
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new NewerDatabaseError(file, version);
    if (version === SCHEMA_VERSION) return false;
    for (const statement of MIGRATIONS[version]!(target)) {
      const { sql: text, parameters } = statement.compile();
      db.prepare(text).run(...(parameters as unknown[]));
    }
    BACKFILLS[version]?.(db);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one step per transaction, until none is left
  }
}
