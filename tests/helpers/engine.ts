// Builds Keel's engine in-process through its composition root (src/server/open-keel.ts), with no
// server: a temporary home, silent logs, no API keys (the scripted provider) unless a test says;
// `answerOf` puts one request through the real dispatch to it, as a client would be answered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { WireNotification } from '../../src/core/codec.js';
import type { KeelEvent } from '../../src/core/events.js';
import type { ThreadState } from '../../src/core/state.js';
import type { Signal } from '../../src/engine/signals.js';
import type { Subscriber } from '../../src/engine/subscriber.js';
import { codexNotifications } from '../../src/server/codex-events.js';
import { codexSignal } from '../../src/server/codex-signals.js';
import { openKeel, type Keel, type KeelOptions } from '../../src/server/open-keel.js';
import { Lazy } from '../../src/kernel/lazy.js';
import { methodTable } from '../../src/protocol/method-table.js';
import { Dispatcher } from '../../src/server/dispatch.js';
import { buildRoutes } from '../../src/server/handlers/index.js';
import { serviceHandlers, type ServiceHandlers, type ServiceMethod, type Services } from '../../src/server/services.js';
import { Session } from '../../src/server/session.js';

export interface TestKeel {
  keel: Keel;
  home: string;
  dbPath: string;
  /** Removes the home (after `keel.close()`). */
  cleanup(): void;
}

export function keelOptions(home: string, dbPath: string, extra: Partial<KeelOptions> = {}): KeelOptions {
  return {
    home,
    dbPath,
    version: '0.0.0-test',
    logger: pino({ level: 'silent' }),
    env: {},
    cwd: '/w',
    broadcast: () => {},
    signal: () => {},
    ...extra,
  };
}

/**
 * Keel's engine in a temporary home. `{ threadLog: 'memory' }` keeps threads in memory
 * (store/memory-thread-log.ts, held to the same contract as SQLite): no database is opened, and
 * `keel.database` is null — for scenarios that need no restart and inject no store faults.
 */
export async function openTestKeel(extra: Partial<KeelOptions> = {}, home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-engine-'))): Promise<TestKeel> {
  const dbPath = extra.dbPath ?? path.join(home, 'keel.db');
  const keel = await openKeel(keelOptions(home, dbPath, extra));
  return { keel, home, dbPath, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

type Notify = (method: string, params: unknown, emittedAtMs: number, seq?: number) => void;

/** A subscriber that hands on what it hears as Codex notifications, encoded as the Codex session encodes them (no opt-outs, no requests). */
export function notifying(notify: Notify): Subscriber {
  return {
    receive: (event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined, seq?: number) => {
      for (const n of codexNotifications(event, before, after)) notify(n.method, n.params, event.at, seq);
    },
    signal: (signal: Signal, at = Date.now(), seq?: number) => {
      const n = codexSignal(signal);
      notify(n.method, n.params, at, seq);
    },
  };
}

/** A subscriber that records what it hears, as a connection would put it on the wire (the Codex session's encoding). */
export class RecordingSubscriber implements Subscriber {
  /** With the `seq` each carried, as on the wire. */
  readonly received: Array<WireNotification & { seq?: number }> = [];
  private waiters: Array<{ match: (n: WireNotification) => boolean; resolve: (n: WireNotification) => void }> = [];
  private readonly codex = notifying((method, params, emittedAtMs, seq) => this.notify(method, params, emittedAtMs, seq));

  receive(event: KeelEvent, before: ThreadState | undefined, after: ThreadState | undefined, seq?: number): void {
    this.codex.receive(event, before, after, seq);
  }

  signal(signal: Signal, at?: number, seq?: number): void {
    this.codex.signal(signal, at, seq);
  }

  notify(method: string, params: unknown, emittedAtMs = Date.now(), seq?: number): void {
    const notification: WireNotification & { seq?: number } = { method, params: JSON.parse(JSON.stringify(params)), emittedAtMs, ...(seq !== undefined && { seq }) };
    this.received.push(notification);
    this.waiters = this.waiters.filter((waiter) => !(waiter.match(notification) && (waiter.resolve(notification), true)));
  }

  /** Resolves with the first notification (already received, or still to come) that matches. */
  waitFor(match: (n: WireNotification) => boolean, timeoutMs = 5_000): Promise<WireNotification> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching notification within ${timeoutMs} ms; received: ${this.received.map((n) => n.method).join(', ')}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (n) => (clearTimeout(timer), resolve(n)) });
    });
  }
}

export type Answer = { result: unknown } | { error: { code: number; message: string } };

/**
 * What a client would be answered for one request to `keel`, through the real routes and dispatch
 * (error kinds to codes), with no process and no stdio: for faults a test injects into the engine
 * it holds (a full disk, a read-only database) that a spawned server cannot be given.
 */
export async function answerOf(keel: Keel, method: string, params: unknown): Promise<Answer> {
  const routes = buildRoutes({
    identity: { version: '0.0.0-test', home: '/nonexistent' },
    diagnostics: { startedAtMs: 0, gauges: () => [] },
    services: new Lazy(async () => ({ keel, routes: routesOf(serviceHandlers(keel)), startupWarnings: Promise.resolve([]) })),
  });
  const dispatcher = new Dispatcher(routes, pino({ level: 'silent' }));
  // A client that reads everything at once (whenWritable: no backpressure), sent nothing here.
  const outbound = { sendNotification: () => {}, sendRequest: () => ({ id: 0, answer: Promise.resolve(null) }), whenWritable: () => null };
  const session = new Session(outbound);
  session.open({ clientInfo: { name: 'test', title: null, version: '0' } } as never);
  try {
    return { result: await dispatcher.handleRequest({ id: 0, method, params, session, signal: new AbortController().signal, afterResponse: (task) => task() }) };
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return { error: { code, message } };
  }
}

function routesOf(handlers: ServiceHandlers): Services['routes'] {
  return Object.fromEntries(
    Object.entries(handlers).map(([method, handler]) => [method, { params: methodTable[method as ServiceMethod].params, handler }]),
  ) as unknown as Services['routes'];
}

/**
 * Runs one turn on a loaded thread through the real dispatch (the scripted provider answers) and
 * waits for its turn/completed: thread/list lists only threads that had a turn.
 */
export async function runTurnIn(keel: Keel, threadId: string, text = 'hello'): Promise<void> {
  const recorder = new RecordingSubscriber();
  const runtime = keel.registry.get(threadId);
  if (runtime === undefined) throw new Error(`thread ${threadId} is not loaded`);
  runtime.subscribe(recorder);
  const answer = await answerOf(keel, 'turn/start', { threadId, input: [{ type: 'text', text }] });
  if ('error' in answer) throw new Error(`turn/start: ${answer.error.message}`);
  await recorder.waitFor((n) => n.method === 'turn/completed');
}
