// The composition root: config.toml, model providers, the thread store, the registry, the turn
// engine, the thread commands and the services clients use outside turns (commands, file watches,
// MCP access), built together in one step. Handlers each get the few of these they use (services.ts). The server loads this module as a
// whole right after `initialize` is answered (keeping SQLite, Kysely and the SDK glue off the
// start-up path); tests build it directly, without the server.
import { modelChecker } from '../engine/model-check.js';
import os from 'node:os';
import type { AuthStore } from '../config/auth-store.js';
import type { ConfigStore } from '../config/config-store.js';
import { providerSetup, type ProviderSetup } from './provider-setup.js';
import { SkillCatalog } from '../skills/skill-catalog.js';
import type { ConfigOverride } from '../config/config-overrides.js';
import type { Log } from '../log.js';
import { openDatabase, type KeelDatabase } from '../store/database.js';
import { EventLog } from '../store/event-log.js';
import { MemoryThreadLog, type MemoryTables } from '../store/memory-thread-log.js';
import { MemoryLeases, type MemoryLeaseTable } from '../store/memory-leases.js';
import { MemoryChanges } from '../store/memory-changes.js';
import { DEFAULT_LEASE_MS, SqlLeases } from '../store/sql-leases.js';
import { SqliteChanges } from '../store/sqlite-changes.js';
import type { ThreadChanges } from '../engine/thread-changes.js';
import type { ThreadLeases } from '../engine/thread-leases.js';
import type { ThreadOwner } from '../kernel/errors.js';
import { SqliteThreadIndex } from '../store/thread-index.js';
import { storeError } from '../store/store-errors.js';
import { openPgDatabase, type PgDatabase, type PgStoreOptions } from '../store/postgres/pg-database.js';
import { PgThreadIndex } from '../store/postgres/pg-thread-index.js';
import { PgThreadLog } from '../store/postgres/pg-thread-log.js';
import { PgChanges } from '../store/postgres/pg-changes.js';
import { pgInWords } from '../store/postgres/pg-errors.js';
import { SqlThreadOrganizer } from '../store/sql-thread-organizer.js';
import { MemoryThreadOrganizer } from '../store/memory-thread-organizer.js';
import type { ThreadOrganizer } from '../engine/thread-organizer.js';
import { stampEvent } from '../core/events.js';
import { DomainErrors } from '../kernel/errors.js';
import type { Env } from '../providers/manifest.js';
import { uuidv7 } from '../engine/ids.js';
import type { ProviderSource } from '../engine/provider-source.js';
import { defaultProvider, SCRIPTED_NOTE, turnLimits } from '../engine/run-defaults.js';
import { ThreadCommands } from '../engine/thread-commands.js';
import { ThreadQueue } from '../engine/thread-queue.js';
import { ThreadRegistry } from '../engine/thread-registry.js';
import { ThreadQueries, type ThreadIndex } from '../engine/thread-queries.js';
import type { ThreadLog } from '../engine/thread-log.js';
import type { SettingsDefaults } from '../engine/thread-settings.js';
import { onlyReads, shellEnvironment } from '../tools/exec/index.js';
import { ApprovalGate } from '../engine/approvals/approval-gate.js';
import { ExecRules } from '../engine/approvals/exec-rules.js';
import { mcpApprovalMode } from '../config/mcp-servers.js';
import { ToolRegistry, type Toolsets } from '../tools/registry.js';
import { isWithin, realOrResolved } from '../tools/sandbox/real-path.js';
import { hiddenPaths } from '../tools/sandbox/policy.js';
import { defaultToolsets } from '../tools/toolsets/index.js';
import { TurnEngine } from '../engine/turns/turn-engine.js';
import { allToolSources } from '../engine/turns/tool-source.js';
import { builtinToolSource } from '../engine/turns/builtin-tool-source.js';
import { clientToolSource } from '../engine/turns/client-tool-source.js';
import { goalToolSource } from '../engine/turns/goal-tools.js';
import { mcpToolSource } from '../engine/turns/mcp-tool-source.js';
import type { McpSource } from '../engine/turns/mcp-tools.js';
import { startMcp, type McpServers } from '../engine/mcp-servers.js';
import { ThreadMcpServers } from '../engine/thread-mcp-servers.js';
import { ThreadWorkspaces } from '../engine/thread-workspaces.js';
import { CommandExec } from '../engine/services/command-exec.js';
import { FsWatches } from '../engine/services/fs-watches.js';
import { McpAccess } from '../engine/services/mcp-access.js';
import type { Signal } from '../engine/signals.js';
import { keepingRateLimits, type RateLimitBook } from '../engine/rate-limit-book.js';
import { UsageReads } from '../engine/usage-reads.js';
import { FeedbackReports } from '../engine/feedback-reports.js';
import { realClock, type Clock } from '../kernel/clock.js';

export interface KeelOptions {
  /** `$KEEL_HOME`: config.toml lives here. */
  home: string;
  dbPath: string;
  version: string;
  logger: Log;
  env: NodeJS.ProcessEnv;
  /** Where threads start when a request names no cwd. */
  cwd: string;
  /** Account-level notifications for every connection (a login, the account changed). */
  broadcast: (method: string, params: unknown) => void;
  /** The engine's signals for every connection (rate limits, MCP servers' state): each session renders them. */
  signal: (signal: Signal) => void;
  /** `-c key=value` (and `--enable`/`--disable`) in command-line order: config over config.toml. */
  configOverrides?: readonly ConfigOverride[];
  /** The Keel program, named as the file of the built-in defaults in `config/read`; default `process.argv[1]`. */
  programPath?: string;
  /** The unix sockets Keel listens on (`--listen unix://…`): covered in every command's sandbox. */
  listenerSockets?: readonly string[];
  /** The tools each model family is offered (tests pass their own). */
  tools?: Toolsets;
  /** Events between checkpoints (tests use small values to exercise them). */
  checkpointEvery?: number;
  /** `memory`: threads are kept in memory (store/memory-thread-log.ts), no database is opened and `dbPath` is unused (the in-process test harness). */
  threadLog?: 'sqlite' | 'memory';
  /** With the in-memory log: the tables and leases several in-process Keels share, as processes share a database. */
  sharedMemory?: { tables: MemoryTables; leases: MemoryLeaseTable };
  /** This process as the owner of its leases; default: a new id. */
  ownerId?: string;
  /** How long a thread lease lasts unless its owner beats again; default `KEEL_LEASE_MS`, else 15 s. */
  leaseMs?: number;
  /** Where this process takes requests other Keel processes forward to it (written in its leases); default: nowhere. */
  ownerAddress?: string | null;
  /** Config, keys and providers already built (provider-setup.ts); default: built here from these options. */
  setup?: ProviderSetup;
  /** Clock and id source; tests pass deterministic ones. */
  now?: () => number;
  newId?: () => string;
  /** The clock of the turn watchdog, stream idle timer, retry backoff and client-question timeout; tests pass one they advance. Default: the real one. */
  clock?: Clock;
}

export interface Keel {
  config: ConfigStore;
  /** `$KEEL_HOME/auth.json`: the OpenAI API key signed in over the wire. */
  auth: AuthStore;
  /** The environment providers read keys from: the process's, with the stored key filling OPENAI_API_KEY when it is unset. */
  providerEnv(): Env;
  /** What commands start from (the tools', thread/shellCommand's, command/exec's): Keel's environment under shell_environment_policy. */
  commandEnv(): NodeJS.ProcessEnv;
  providers: ProviderSource;
  defaults(): SettingsDefaults;
  env: NodeJS.ProcessEnv;
  /** Keel's unix listener sockets: every SandboxContext Keel builds carries them (keelSockets). */
  listenerSockets: readonly string[];
  /** `$KEEL_HOME`: what a sandbox hides. */
  home: string;
  /** The files of a `--db` database outside the home: hidden as the home is (SandboxContext.hiddenFiles). */
  hiddenFiles: readonly string[];
  /** The SQLite store, for close() (null with the in-memory log or PostgreSQL). Handlers never use it: they read through `queries`. */
  database: KeelDatabase | null;
  /** The PostgreSQL store when `[store] url` or KEEL_STORE_URL names one, for close(); else null. */
  postgres: PgDatabase | null;
  /** Reads of loaded and stored threads; changes go through `threads`. */
  registry: ThreadRegistry;
  /** thread/list and thread/read over the store's projections. */
  queries: ThreadQueries;
  /** Thread sections and attachments, kept by the store beside the logs. */
  organizer: ThreadOrganizer;
  threads: ThreadCommands;
  turns: TurnEngine;
  /** The MCP servers of config.toml, shared by every thread (started when a thread first needs them). */
  mcp: McpServers;
  /** MCP servers of one thread alone (an ACP editor's), stopped when the connection that passed them ends. */
  threadMcp: ThreadMcpServers;
  /** The editors lending threads their files and terminal (an ACP client's), per thread. */
  workspaces: ThreadWorkspaces;
  /** Which MCP servers a client or thread may use or see, and their use outside turns. */
  mcpAccess: McpAccess;
  /** Commands clients run outside any turn (command/exec), in the sandbox their policy asks for. */
  commands: CommandExec;
  /** The file-system watches clients hold (fs/watch). */
  watches: FsWatches;
  /** The skills (SKILL.md) of each working directory, enabled or not in config.toml. */
  skills: SkillCatalog;
  /** Sends an account-level notification to every connection. */
  broadcast(method: string, params: unknown): void;
  /** The providers' last rate-limit readings (account/rateLimits/read). */
  rateLimits: RateLimitBook;
  /** The token usage the store recorded (account/usage/read). */
  usage: UsageReads;
  /** Feedback reports, kept on this machine (feedback/save, feedback/upload). */
  feedback: FeedbackReports;
  /** Ends clients' commands and watches, then running turns (interrupted, stored), writes what is buffered and closes the store. */
  close(): Promise<void>;
}

export async function openKeel(options: KeelOptions): Promise<Keel> {
  const { logger, env } = options;
  const clock = options.clock ?? realClock;
  const now = options.now ?? clock.now;
  const newId = options.newId ?? (() => uuidv7());
  // Config, keys and providers: given by `keel acp`, which builds them before the rest (provider-setup.ts).
  const { auth, config, providerEnv, providers, defaults } = options.setup ?? providerSetup(options);
  const commandEnv = () => shellEnvironment(config.resolved().shellEnvironmentPolicy, env);
  if (defaultProvider(config.resolved(), providerEnv()) === 'scripted') logger.info(SCRIPTED_NOTE);

  const leaseMs = leaseLength(options, config.resolved().store.leaseMs);
  const { database, postgres, log, index, leases, changes, organizer } = await openThreadStore(options, { ownerId: options.ownerId ?? newId(), pid: process.pid, host: os.hostname(), address: options.ownerAddress ?? null }, leaseMs, pgStoreOptions(config, env, logger));
  const registry = new ThreadRegistry(log, {
    now,
    onError: (threadId, error, what) => logger.error({ threadId, err: error }, `thread ${what}`),
  }, leases, changes);
  const queries = new ThreadQueries(index, registry);
  let recovered = 0;
  try {
    recovered = await registry.recover();
  } catch (error) {
    // Damage where recovery looks must not keep Keel from serving what it can; a turn left in
    // progress is closed anyway when its thread is next loaded (ThreadRegistry.load).
    logger.error({ err: error }, 'could not look for turns left in progress; each is closed as interrupted when its thread is next loaded');
  }
  if (recovered > 0) logger.warn({ recovered }, 'closed turns left in progress by a previous run as interrupted');

  const { book: rateLimits, signal } = keepingRateLimits(options.signal);
  const mcp = await startMcp(config.resolved().mcpServers, logger, signal);
  const threadMcp = new ThreadMcpServers(logger);
  const workspaces = new ThreadWorkspaces();
  const rules = new ExecRules(options.home);
  const skills = new SkillCatalog({ keelHome: options.home, userHome: env.HOME || os.homedir() }, config);
  const turns = new TurnEngine({
    provider: (id) => providers.provider(id),
    contextWindow: (id, model) => providers.contextWindow(id, model),
    unservedModel: (id, model) => providers.unservedModel(id, model),
    limits: () => turnLimits(config.resolved()),
    tools: allToolSources({ builtin: builtinToolSource(new ToolRegistry(options.tools ?? defaultToolsets())), goal: goalToolSource, client: clientToolSource, mcp: mcpToolSource(mcp, threadMcp) }),
    gate: ({ runtime, turnId, signal, cancel }) =>
      new ApprovalGate({ runtime, turnId, signal, cancelTurn: cancel, now, clock, home: options.home, listenerSockets: options.listenerSockets ?? [], hiddenFiles: databaseFilesOutside(options.home, options.dbPath), env, rules, onlyReads, timeoutMs: turnLimits(config.resolved()).clientRequestTimeoutMs,
        mcpApproval: (server, tool) => mcpApprovalMode(config.resolved().mcpServers.find((s) => s.name === server), tool) }),
    onlyReads,
    home: options.home,
    skills: (cwd) => skills.enabledNow(cwd),
    hidden: hiddenPaths({ cwd: options.cwd, keelHome: options.home, hiddenFiles: databaseFilesOutside(options.home, options.dbPath) }),
    commandEnv,
    workspace: (threadId) => workspaces.of(threadId),
    now,
    clock,
    newId,
    logger,
    broadcast: signal,
    notify: (runtime, signal) => runtime.signalAll(signal),
    endNotStored: (runtime, turnId, error) => {
      // The turn ends for its clients all the same; the log shows it running until its next load stores this end.
      const threadId = runtime.state.id;
      logger.error({ threadId, turnId, err: error }, 'the store refused the end of a turn; it ends failed, and is stored so when the thread is next loaded');
      const cause = error instanceof Error ? error.message : String(error);
      const message = `the end of this turn could not be stored (${cause}); it ended failed, and is recorded so when the thread is next loaded`;
      const end = stampEvent(threadId, now(), { type: 'turn/completed', turnId, status: 'failed', error: { message, codexErrorInfo: 'other', additionalDetails: null } });
      registry.endUnstored(runtime, end);
    },
  });
  const threads = new ThreadCommands({
    registry, turns, queue: new ThreadQueue(), defaults, now, newId, version: options.version, home: options.home,
    turnsWithoutClients: () => config.resolved().keel.turnsWithoutClients,
    checkModel: modelChecker(providers),
  });
  const hiddenFiles = databaseFilesOutside(options.home, options.dbPath);
  const listenerSockets = options.listenerSockets ?? [];
  const mcpAccess = new McpAccess({ servers: mcp, configs: () => config.resolved().mcpServers, settingsOf: async (threadId) => (await registry.read(threadId)).settings });
  const commands = new CommandExec({
    defaultCwd: () => defaults().cwd,
    commandEnv,
    sandbox: { keelHome: options.home, keelSockets: listenerSockets, hiddenFiles, env },
  });
  const watches = new FsWatches();
  // Clients' commands and watches end first when Keel closes; a failing task does not stop the others.
  const closeTasks: Array<() => Promise<void> | void> = [() => commands.terminateAll(), () => watches.closeAll()];
  const idleSweep = sweepIdleThreads(threads, () => config.resolved().keel.threadIdleUnloadMs, logger);
  const takeoverSweep = sweepLapsedOwners(threads, leaseMs, logger);

  return {
    config,
    auth,
    providerEnv,
    commandEnv,
    providers,
    defaults,
    env,
    listenerSockets,
    home: options.home,
    hiddenFiles,
    database,
    postgres,
    registry,
    queries,
    organizer,
    threads,
    turns,
    mcp,
    threadMcp,
    workspaces,
    mcpAccess,
    commands,
    watches,
    skills,
    broadcast: options.broadcast,
    rateLimits,
    usage: new UsageReads(index, registry, now),
    feedback: new FeedbackReports({ home: options.home, log, registry, version: options.version, now, newId }),
    close: async () => {
      idleSweep.stop();
      takeoverSweep.stop();
      try {
        for (const failed of (await Promise.allSettled(closeTasks.map(async (task) => task()))).filter((outcome) => outcome.status === 'rejected')) {
          logger.error({ err: failed.reason }, 'a close task failed');
        }
        await turns.interruptAll();
        // After the turns: a call in flight ends with them, then every server process is stopped.
        await Promise.all([mcp.shutdown(), threadMcp.shutdown()]);
        registry.closeAll();
        await registry.settle();
        await changes.close();
        // A store that refuses (read-only, gone) keeps the leases until they lapse: nothing to stop the close for.
        await Promise.resolve()
          .then(() => leases.close())
          .catch((error: unknown) => logger.error({ err: error }, 'could not give this process\'s thread leases back; they lapse on their own'));
      } finally {
        // Whatever failed above, the database is checkpointed and closed.
        await database?.close();
        await postgres?.close();
      }
    },
  };
}

interface ThreadStore {
  database: KeelDatabase | null;
  postgres: PgDatabase | null;
  log: ThreadLog;
  index: ThreadIndex;
  leases: ThreadLeases;
  changes: ThreadChanges;
  organizer: ThreadOrganizer;
}

/**
 * The thread store: the SQLite database (its log, its index, its leases and word of its changes),
 * PostgreSQL's when one is named, or the in-memory log that is both, with its leases.
 */
async function openThreadStore(options: KeelOptions, me: ThreadOwner, leaseMs: number, pg: PgStoreOptions | null): Promise<ThreadStore> {
  const { logger } = options;
  if (options.threadLog === 'memory') {
    const shared = options.sharedMemory;
    const log = new MemoryThreadLog(shared?.tables, options.checkpointEvery, shared === undefined ? null : { leases: shared.leases, ownerId: me.ownerId });
    const organizer = new MemoryThreadOrganizer(log.tables.organizer, log.tables.threads);
    return { database: null, postgres: null, log, index: log, leases: new MemoryLeases(me, shared?.leases), changes: new MemoryChanges(log.tables), organizer };
  }
  const unavailable = (error: Error) => DomainErrors.unavailable(`thread store unavailable: ${error.message}`);
  const leaseOptions = (inWords: (error: unknown) => unknown) => ({
    leaseMs,
    onLost: (message: string) => logger.error(message),
    onError: (error: unknown) => logger.error({ err: error }, 'could not record or renew this process\'s thread leases; trying again'),
    inWords,
  });
  if (pg !== null) {
    const postgres = await openPgDatabase(pg).catch((error: Error) => {
      throw unavailable(error);
    });
    const leases = await SqlLeases.open(postgres.db, me, leaseOptions((error) => error));
    const changes = new PgChanges(pg, (message) => logger.warn(message));
    const organizer = new SqlThreadOrganizer(postgres.db, 'postgres', (work) => pgInWords(postgres.where, work));
    return { database: null, postgres, log: new PgThreadLog(postgres, options.checkpointEvery, me.ownerId), index: new PgThreadIndex(postgres), leases, changes, organizer };
  }
  const database = await openDatabase(options.dbPath, { onWarning: (message) => options.logger.warn(message) }).catch((error: Error) => {
    throw unavailable(error);
  });
  const leases = await SqlLeases.open(database.db, me, leaseOptions((error) => storeError(error, database.path)));
  const changes = new SqliteChanges(database, (error) => logger.warn({ err: error }, 'could not look for changes of followed threads'));
  const organizer = new SqlThreadOrganizer(database.db, 'sqlite', (work) =>
    work().catch((error: unknown) => {
      throw storeError(error, database.path);
    }),
  );
  return { database, postgres: null, log: new EventLog(database, options.checkpointEvery, me.ownerId), index: new SqliteThreadIndex(database), leases, changes, organizer };
}

/** `leaseMs`, else `KEEL_LEASE_MS`, else `[store] lease_ms`, else 15 s. */
function leaseLength(options: KeelOptions, configured: number | null): number {
  if (options.leaseMs !== undefined) return options.leaseMs;
  const fromEnv = Number(options.env.KEEL_LEASE_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (configured ?? DEFAULT_LEASE_MS);
}

/** PostgreSQL's settings when KEEL_STORE_URL (first) or `[store] url` names a database; null: the SQLite file. */
function pgStoreOptions(config: ConfigStore, env: NodeJS.ProcessEnv, logger: Log): PgStoreOptions | null {
  const store = config.resolved().store;
  const url = env.KEEL_STORE_URL || store.url;
  if (!url) return null;
  if (!/^postgres(ql)?:\/\//.test(url)) throw DomainErrors.unavailable(`thread store unavailable: KEEL_STORE_URL must be a postgres:// URL (SQLite needs none: it is the default), not ${JSON.stringify(url.slice(0, 40))}`);
  return {
    url,
    poolSize: store.poolSize ?? undefined,
    statementTimeoutMs: store.statementTimeoutMs ?? undefined,
    connectTimeoutMs: store.connectTimeoutMs ?? undefined,
    writeRetryMs: store.writeRetryMs ?? undefined,
    onWarning: (message) => logger.warn(message),
  };
}

/**
 * The database's files (itself, -wal, -shm, -journal) when it lies outside the home (`--db`):
 * hidden from tools and sandboxed commands as the home is. Inside the home, hiding the home hides them.
 */
export function databaseFilesOutside(home: string, dbPath: string): string[] {
  if (dbPath === ':memory:') return [];
  const db = realOrResolved(dbPath);
  if (isWithin(db, realOrResolved(home))) return [];
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
}

/**
 * Takes over the threads of owners that lapsed (died, or stopped beating), every third of a lease
 * as the heartbeat goes: a dead owner's running turn ends (interrupted, naming it) about one lease
 * after its last beat — at once on this host, where a process gone is seen gone (sql-leases.ts).
 */
function sweepLapsedOwners(threads: ThreadCommands, leaseMs: number, logger: Log): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      threads
        .takeOverLapsed()
        .then((count) => count > 0 && logger.warn({ count }, 'took over threads whose Keel process stopped, ending their running turns as interrupted'))
        .catch((error: unknown) => logger.error({ err: error }, 'could not look for threads of stopped Keel processes'))
        .finally(() => !stopped && schedule());
    }, Math.max(Math.floor(leaseMs / 3), 10));
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Unloads idle threads from memory (ThreadCommands.unloadIdle), checking about twice per idle
 * delay; the delay is read each time, so config changes apply without a restart.
 */
function sweepIdleThreads(threads: ThreadCommands, idleMs: () => number, logger: Log): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      threads
        .unloadIdle(idleMs())
        .then((count) => count > 0 && logger.debug({ count }, 'unloaded idle threads from memory'))
        .catch((error: unknown) => logger.error({ err: error }, 'could not unload idle threads'))
        .finally(() => timer !== null && schedule());
    }, Math.min(Math.max(Math.floor(idleMs() / 2), 20), 30_000));
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
