// Several real Keel processes on one store, as two IDE windows on one home or a fleet on one
// PostgreSQL database: a store per test (a fresh home's keel.db, or a fresh PostgreSQL database when
// the test cluster is there), each process with its own script for the scripted provider — so
// which process ran a model call shows in what the model said — and a look at the store's leases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { ScriptStep } from '../../src/providers/scripted.js';
import { initialized, makeTempHome, spawnKeel, type KeelProcess } from './keel-process.js';
import { dropPgDatabases, freshPgDatabase, onPgDatabase, pgSkipReason } from './pg.js';

export interface SharedStore {
  name: 'sqlite' | 'postgres';
  /** The home every process shares (config.toml lives here). */
  home: string;
  /** What selects the store, for every process. */
  env: Record<string, string>;
  /** The owner id holding the thread's lease, or null. */
  leaseHolder(threadId: string): Promise<string | null>;
  /** How many turn/completed events the log holds for the turn. */
  turnEnds(threadId: string, turnId: string): Promise<number>;
}

/** The stores the multi-process tests run on: SQLite always, PostgreSQL when the test server is there (and in CI, where it must be: pg.ts). */
export const storeKinds: Array<SharedStore['name']> = pgSkipReason === null ? ['sqlite', 'postgres'] : ['sqlite'];
if (pgSkipReason !== null) console.log(`multi-process tests on PostgreSQL skipped: ${pgSkipReason}`);

/** Drops the PostgreSQL databases this file made (its afterAll). */
export const dropSharedStores = dropPgDatabases;

export async function sharedStore(kind: SharedStore['name'], config: string[] = []): Promise<SharedStore> {
  const home = makeTempHome();
  if (config.length > 0) fs.writeFileSync(path.join(home, 'config.toml'), config.join('\n') + '\n');
  if (kind === 'sqlite') {
    const file = path.join(home, 'keel.db');
    const read = <T>(query: (db: Database.Database) => T): T => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return query(db);
      } finally {
        db.close();
      }
    };
    return {
      name: kind,
      home,
      env: {},
      leaseHolder: async (threadId) => read((db) => (db.prepare('SELECT owner_id FROM thread_leases WHERE thread_id = ?').pluck().get(threadId) as string | undefined) ?? null),
      turnEnds: async (threadId, turnId) =>
        read((db) => db.prepare("SELECT count(*) FROM events WHERE thread_id = ? AND type = 'turn/completed' AND json_extract(body, '$.turnId') = ?").pluck().get(threadId, turnId) as number),
    };
  }
  const url = await freshPgDatabase();
  return {
    name: kind,
    home,
    env: { KEEL_STORE_URL: url },
    leaseHolder: async (threadId) => (await onPgDatabase<{ owner_id: string }>(url, 'SELECT owner_id FROM thread_leases WHERE thread_id = $1', [threadId]))[0]?.owner_id ?? null,
    turnEnds: async (threadId, turnId) =>
      Number((await onPgDatabase<{ n: string }>(url, "SELECT count(*) AS n FROM events WHERE thread_id = $1 AND type = 'turn/completed' AND (body::json)->>'turnId' = $2", [threadId, turnId]))[0]!.n),
  };
}

/** A Keel app-server on the store, initialized, with its own script (`script` is the model's answers, in order). */
export async function keelOn(store: SharedStore, script: ScriptStep[][], env: Record<string, string> = {}): Promise<KeelProcess> {
  const scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-script-')), 'script.json');
  fs.writeFileSync(scriptFile, JSON.stringify({ responses: script }));
  const keel = spawnKeel({ home: store.home, env: { ...store.env, KEEL_SCRIPT: scriptFile, ...env } });
  await initialized(keel);
  return keel;
}

/** Waits until `check` holds, asking again every few milliseconds, up to `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) expect.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
