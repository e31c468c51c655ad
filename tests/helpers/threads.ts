// Shared pieces of the thread e2e tests: temp dirs removed after each test, the exact objects Keel
// answers thread requests with by default, and direct read access to a Keel database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import type { ThreadStartResponse } from '../../generated/protocol.js';
import { repoRoot } from './conformance.js';
import type { IncomingMessage, KeelProcess } from './keel-process.js';

export type Thread = ThreadStartResponse['thread'];

export const cliVersion: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

/** A fresh directory per call (realpath'd), removed after the current test. */
export function useTempDirs(): (prefix?: string) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (prefix = 'keel-test-') => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    made.push(dir);
    return dir;
  };
}

/** The Thread object of a fresh, idle thread with Keel's defaults; ids and times match anything. */
export function expectedThread(cwd: string, fields: Partial<Thread> = {}): Thread {
  return {
    id: expect.any(String),
    sessionId: expect.any(String),
    name: null,
    preview: '',
    ephemeral: false,
    forkedFromId: null,
    cliVersion,
    createdAt: expect.any(Number),
    updatedAt: expect.any(Number),
    cwd,
    model: 'scripted',
    modelProvider: 'scripted',
    reasoningEffort: null,
    projectId: null,
    source: 'appServer',
    path: null,
    gitInfo: null,
    status: { type: 'idle' },
    turns: [],
    ...fields,
  };
}

/** The fields thread/start, resume and fork answer beside the thread, with Keel's defaults. */
export function expectedSession(thread: Thread, fields: Partial<Omit<ThreadStartResponse, 'thread'>> = {}): ThreadStartResponse {
  return {
    thread,
    model: thread.model as string,
    modelProvider: thread.modelProvider as string,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: thread.cwd,
    instructionSources: [],
    approvalPolicy: 'on-request',
    approvalsReviewer: 'user',
    sandbox: { type: 'readOnly', networkAccess: false },
    reasoningEffort: null,
    ...fields,
  };
}

/** Index of a message in the process's log (by identity), for ordering assertions. */
export function positionOf(keel: KeelProcess, message: IncomingMessage): number {
  const index = keel.messages.indexOf(message);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

/** The notifications received so far, as `method` → params, in order. */
export function notifications(keel: KeelProcess, method?: string): IncomingMessage[] {
  return keel.messages.filter((m) => typeof m.method === 'string' && (method === undefined || m.method === method));
}

export interface StoredEvent {
  thread_id: string;
  seq: number;
  type: string;
  body: string;
}

/** Opens a Keel database file read-only, runs `read` on it and closes it. */
export function withDatabase<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function storedEvents(db: Database.Database, threadId?: string): StoredEvent[] {
  const sql = 'SELECT thread_id, seq, type, body FROM events';
  return (threadId === undefined
    ? db.prepare(`${sql} ORDER BY thread_id, seq`).all()
    : db.prepare(`${sql} WHERE thread_id = ? ORDER BY seq`).all(threadId)) as StoredEvent[];
}

export function storedThreadIds(db: Database.Database): string[] {
  return db.prepare('SELECT id FROM threads ORDER BY id').pluck().all() as string[];
}
