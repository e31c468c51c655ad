// `keel doctor`'s check of a PostgreSQL store, against the test server (tests/helpers/pg.ts): a
// database Keel never used, one it migrated with threads and processes running on it, one a newer
// Keel migrated, and a server that is not there — each in words, with what to do.
import { afterAll, describe, expect, it } from 'vitest';
import { pgStoreCheck } from '../../src/cli/doctor/pg-store-check.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openPgDatabase } from '../../src/store/postgres/pg-database.js';
import { describeUrl } from '../../src/store/postgres/pg-errors.js';
import { dropPgDatabases, freshPgDatabase, onPgDatabase, pgSkipReason } from '../helpers/pg.js';

afterAll(dropPgDatabases);

describe.skipIf(pgSkipReason !== null)(`the PostgreSQL store check${pgSkipReason === null ? '' : ` (skipped: ${pgSkipReason})`}`, () => {
  it('a database Keel never used: ok, Keel makes its tables when it first starts', async () => {
    const url = await freshPgDatabase();
    expect(await pgStoreCheck({ url })).toEqual({ name: 'store', status: 'ok', detail: `${describeUrl(url)}: no Keel tables yet: Keel creates them when it first starts on it`, fix: null });
  });

  it('a store in use: its schema version, its threads and the Keel processes running threads on it now', async () => {
    const url = await freshPgDatabase();
    await (await openPgDatabase({ url })).close();
    const now = Date.now();
    await onPgDatabase(url, "INSERT INTO threads (id, preview, cwd, model, model_provider, created_at, updated_at, cli_version) VALUES ('t1', 'x', '/w', 'm', 'p', 1, 1, '0')");
    await onPgDatabase(url, 'INSERT INTO keel_owners (owner_id, pid, host, started_at, heartbeat_at, expires_at) VALUES ($1, 11, $2, 1, $3, $4), ($5, 12, $2, 2, 1, 2)', ['a', 'here', now, now + 60_000, 'lapsed']);
    expect(await pgStoreCheck({ url }, now)).toEqual({
      name: 'store',
      status: 'ok',
      detail: `${describeUrl(url)} (PostgreSQL): schema version ${SCHEMA_VERSION}, 1 thread, run by 1 Keel process now (pid 11 on here)`,
      fix: null,
    });
  });

  it('a store a newer Keel migrated fails, saying to upgrade', async () => {
    const url = await freshPgDatabase();
    await (await openPgDatabase({ url })).close();
    await onPgDatabase(url, 'UPDATE keel_schema SET version = $1', [SCHEMA_VERSION + 1]);
    expect(await pgStoreCheck({ url })).toEqual({
      name: 'store',
      status: 'fail',
      detail: `${describeUrl(url)} has schema version ${SCHEMA_VERSION + 1}, newer than this Keel's (${SCHEMA_VERSION}): a newer Keel migrated it, and this one will not open it`,
      fix: 'upgrade Keel, or point this one at another database',
    });
  });
});

describe('the PostgreSQL store check of a server that is not there', () => {
  it('fails in words, saying what to check', async () => {
    const url = 'postgres://keel@/keel?host=/nonexistent-keel-socket-dir';
    const check = await pgStoreCheck({ url, connectTimeoutMs: 2_000 });
    expect(check).toEqual({
      name: 'store',
      status: 'fail',
      detail: expect.stringMatching(/^the thread database postgres:\/\/keel@\/keel\?host=\/nonexistent-keel-socket-dir cannot be reached/),
      fix: `check that the server runs and that ${describeUrl(url)} names a database this user may use (KEEL_STORE_URL or [store] url)`,
    });
  });
});
