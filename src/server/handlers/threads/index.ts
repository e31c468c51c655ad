// The thread subsystem, loaded on demand (see ../index.ts): opening the store, closing turns a
// crash left open, and the thread/* handlers over them. Kept out of the start-up path because
// SQLite, Kysely and the handlers cost more to load than answering `initialize` does.
import type { Logger } from 'pino';
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

export interface ThreadOptions {
  dbPath: string;
  version: string;
  logger: Logger;
  defaults: () => SettingsDefaults;
  /** Clock and id source; tests pass deterministic ones. */
  now?: () => number;
  newId?: () => string;
}

export interface ThreadSubsystem {
  services: ThreadServices;
  handlers: { [M in ThreadMethod]: Handler<M> };
  close(): Promise<void>;
}

export async function startThreads(options: ThreadOptions): Promise<ThreadSubsystem> {
  const database = await openDatabase(options.dbPath);
  const registry = new ThreadRegistry(new EventLog(database), options.now ?? Date.now);
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
  return {
    services,
    handlers: {
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
      registry.closeAll();
      await database.close();
    },
  };
}
