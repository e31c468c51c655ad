import type { HandlerMap } from '../dispatch.js';
import { diagnosticsHandler, type DiagnosticsSource } from './diagnostics.js';
import { initializeHandler, type ServerIdentity } from './initialize.js';
import { threadFork, threadResume, threadStart } from './threads/lifecycle.js';
import { threadArchive, threadDelete, threadRevert, threadSetName, threadUnarchive, threadUnsubscribe } from './threads/mutations.js';
import { threadItemsList, threadList, threadLoadedList, threadRead, threadTurnsList } from './threads/reads.js';
import type { ThreadServices } from './threads/services.js';

export interface HandlerDeps {
  identity: ServerIdentity;
  diagnostics: DiagnosticsSource;
  threads: ThreadServices;
}

export function buildHandlers(deps: HandlerDeps): HandlerMap {
  const { threads } = deps;
  return {
    initialize: initializeHandler(deps.identity),
    'server/diagnostics': diagnosticsHandler(deps.diagnostics),
    'thread/start': threadStart(threads),
    'thread/resume': threadResume(threads),
    'thread/fork': threadFork(threads),
    'thread/list': threadList(threads),
    'thread/loaded/list': threadLoadedList(threads),
    'thread/read': threadRead(threads),
    'thread/turns/list': threadTurnsList(threads),
    'thread/items/list': threadItemsList(threads),
    'thread/archive': threadArchive(threads),
    'thread/unarchive': threadUnarchive(threads),
    'thread/delete': threadDelete(threads),
    'thread/unsubscribe': threadUnsubscribe(threads),
    'thread/name/set': threadSetName(threads),
    'thread/revert': threadRevert(threads),
  };
}
