// The thread subsystem, loaded on demand (see ../index.ts): opening the store, closing turns a
// crash left open, and the thread/* handlers over them. Kept out of the start-up path because
// SQLite, Kysely and the handlers cost more to load than answering `initialize` does.
import type { Log } from '../../../log.js';
import { uuidv7 } from '../../../engine/ids.js';
import { ThreadRegistry } from '../../../engine/thread-registry.js';
import type { SettingsDefaults } from '../../../engine/thread-settings.js';
import { openDatabase } from '../../../store/database.js';
import { EventLog } from '../../../store/event-log.js';
import type { Handler } from '../../dispatch.js';
import { threadFork, threadResume, threadStart } from './lifecycle.js';
import { threadArchive, threadDelete, threadRevert, threadSetName, threadUnarchive, threadUnsubscribe } from './mutations.js';
import { threadItemsList, threadList, threadLoadedList, threadRead, threadTurnsList } from './reads.js';
import type { ThreadServices } from './services.js';
import type { ThreadMethod } from './thread-methods.js';
import { TurnEngine, type TurnLimits } from '../../../engine/turns/turn-engine.js';
import type { ToolHost } from '../../../engine/turns/tools.js';
import type { ProviderSource } from '../../../engine/provider-source.js';
import { turnInterrupt, turnStart, turnSteer } from '../turns.js';

export interface ThreadOptions {
  dbPath: string;
  version: string;
  logger: Log;
  defaults: () => SettingsDefaults;
  providers: ProviderSource;
  tools: ToolHost;
  limits: () => TurnLimits;
  /** Account-level notifications for every connection (rate limits). */
  broadcast: (method: string, params: unknown) => void;
  /** Events between checkpoints (tests use small values to exercise them). */
  checkpointEvery?: number;
  /** Clock and id source; tests pass deterministic ones. */
  now?: () => number;
  newId?: () => string;
}

export interface ThreadSubsystem {
  services: ThreadServices;
  turns: TurnEngine;
  handlers: { [M in ThreadMethod]: Handler<M> };
  close(): Promise<void>;
}

export async function startThreads(options: ThreadOptions): Promise<ThreadSubsystem> {
  const database = await openDatabase(options.dbPath);
  const registry = new ThreadRegistry(new EventLog(database, options.checkpointEvery), options.now ?? Date.now, (threadId, error) =>
    options.logger.error({ threadId, err: error }, 'could not recover thread; it is left as stored'),
  );
  const recovered = registry.recover();
  if (recovered > 0) options.logger.warn({ recovered }, 'closed turns left in progress by a previous run as interrupted');
  const services: ThreadServices = {
    registry,
    database,
    version: options.version,
    now: options.now ?? Date.now,
    newId: options.newId ?? (() => uuidv7()),
    defaults: options.defaults,
  };
  const turns = new TurnEngine({
    provider: (id) => options.providers.provider(id),
    contextWindow: (id, model) => options.providers.contextWindow(id, model),
    unservedModel: (id, model) => options.providers.unservedModel(id, model),
    limits: options.limits,
    tools: options.tools,
    now: services.now,
    newId: services.newId,
    logger: options.logger,
    broadcast: options.broadcast,
    notify: (runtime, method, params) => {
      for (const subscriber of runtime.subscribers) subscriber.notify(method, params);
    },
  });
  return {
    services,
    turns,
    handlers: {
      'turn/start': turnStart(services, turns),
      'turn/steer': turnSteer(services, turns),
      'turn/interrupt': turnInterrupt(turns),
      'thread/start': threadStart(services),
      'thread/resume': threadResume(services),
      'thread/fork': threadFork(services),
      'thread/list': threadList(services),
      'thread/loaded/list': threadLoadedList(services),
      'thread/read': threadRead(services),
      'thread/turns/list': threadTurnsList(services),
      'thread/items/list': threadItemsList(services),
      'thread/archive': threadArchive(services),
      'thread/unarchive': threadUnarchive(services),
      'thread/delete': threadDelete(services),
      'thread/unsubscribe': threadUnsubscribe(services),
      'thread/name/set': threadSetName(services),
      'thread/revert': threadRevert(services),
    },
    close: async () => {
      await turns.interruptAll();
      registry.closeAll();
      await database.close();
    },
  };
}
