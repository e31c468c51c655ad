// The one source of truth for every message Keel serves or sends. Dispatch, the client library,
// schema/, generated/ and the method list in app-server.md are all derived from this table.
import { clientNotification, clientRequest, serverNotification } from './method-spec.js';
import * as T from './schemas/thread-methods.js';
import { InitializeParams, InitializeResponse } from './schemas/initialize.js';
import { ServerDiagnosticsParams, ServerDiagnosticsResponse } from './schemas/diagnostics.js';

export const methodTable = {
  initialize: clientRequest({
    typeName: 'Initialize',
    stability: 'stable',
    summary: 'Opens the connection: client info and capabilities in, server identity out.',
    params: InitializeParams,
    result: InitializeResponse,
    codexResult: 'InitializeResponse',
  }),
  initialized: clientNotification({
    typeName: 'Initialized',
    stability: 'stable',
    summary: 'The client acknowledges the initialize response.',
  }),
  'server/diagnostics': clientRequest({
    typeName: 'ServerDiagnostics',
    stability: 'experimental',
    summary: 'Process-local diagnostics: pid, resident memory and gauges; no content.',
    params: ServerDiagnosticsParams,
    result: ServerDiagnosticsResponse,
    codexResult: 'v2/ServerDiagnosticsResponse',
  }),
  'thread/start': clientRequest({
    typeName: 'ThreadStart',
    stability: 'stable',
    summary: 'Creates a thread (persisted unless ephemeral) and subscribes the caller; `thread/started` follows.',
    params: T.ThreadStartParams,
    result: T.ThreadStartResponse,
    codexResult: 'v2/ThreadStartResponse',
    experimentalFields: ['dynamicTools'],
  }),
  'thread/resume': clientRequest({
    typeName: 'ThreadResume',
    stability: 'stable',
    summary: 'Loads a stored thread, applies setting overrides, subscribes the caller; returns its latest turns within a byte budget.',
    params: T.ThreadResumeParams,
    result: T.ThreadResumeResponse,
    codexResult: 'v2/ThreadResumeResponse',
  }),
  'thread/fork': clientRequest({
    typeName: 'ThreadFork',
    stability: 'stable',
    summary: 'Copies a thread\'s history (up to `lastTurnId`) into a new thread and subscribes the caller.',
    params: T.ThreadForkParams,
    result: T.ThreadForkResponse,
    codexResult: 'v2/ThreadForkResponse',
  }),
  'thread/list': clientRequest({
    typeName: 'ThreadList',
    stability: 'stable',
    summary: 'Lists stored threads with filters, sorting and keyset cursors; pages bounded by `limit` and `maxBytes`.',
    params: T.ThreadListParams,
    result: T.ThreadListResponse,
    codexResult: 'v2/ThreadListResponse',
  }),
  'thread/loaded/list': clientRequest({
    typeName: 'ThreadLoadedList',
    stability: 'stable',
    summary: 'Ids of the threads loaded in this process.',
    params: T.ThreadLoadedListParams,
    result: T.ThreadLoadedListResponse,
    codexResult: 'v2/ThreadLoadedListResponse',
  }),
  'thread/read': clientRequest({
    typeName: 'ThreadRead',
    stability: 'stable',
    summary: 'A thread\'s metadata, and with `includeTurns` its most recent turns within a byte budget.',
    params: T.ThreadReadParams,
    result: T.ThreadReadResponse,
    codexResult: 'v2/ThreadReadResponse',
  }),
  'thread/turns/list': clientRequest({
    typeName: 'ThreadTurnsList',
    stability: 'stable',
    summary: 'Pages a thread\'s turns (newest first by default).',
    params: T.ThreadTurnsListParams,
    result: T.ThreadTurnsListResponse,
    codexResult: 'v2/ThreadTurnsListResponse',
  }),
  'thread/items/list': clientRequest({
    typeName: 'ThreadItemsList',
    stability: 'stable',
    summary: 'Pages a thread\'s items, across turns or within one.',
    params: T.ThreadItemsListParams,
    result: T.ThreadItemsListResponse,
    codexResult: 'v2/ThreadItemsListResponse',
  }),
  'thread/archive': clientRequest({
    typeName: 'ThreadArchive',
    stability: 'stable',
    summary: 'Archives a thread; `thread/archived` follows.',
    params: T.ThreadArchiveParams,
    result: T.ThreadArchiveResponse,
    codexResult: 'v2/ThreadArchiveResponse',
  }),
  'thread/unarchive': clientRequest({
    typeName: 'ThreadUnarchive',
    stability: 'stable',
    summary: 'Unarchives a thread; `thread/unarchived` follows.',
    params: T.ThreadUnarchiveParams,
    result: T.ThreadUnarchiveResponse,
    codexResult: 'v2/ThreadUnarchiveResponse',
  }),
  'thread/delete': clientRequest({
    typeName: 'ThreadDelete',
    stability: 'stable',
    summary: 'Deletes a thread and its event log; `thread/deleted` follows.',
    params: T.ThreadDeleteParams,
    result: T.ThreadDeleteResponse,
    codexResult: 'v2/ThreadDeleteResponse',
  }),
  'thread/unsubscribe': clientRequest({
    typeName: 'ThreadUnsubscribe',
    stability: 'stable',
    summary: 'Stops this connection\'s notifications for a thread; unloads it when nobody else listens.',
    params: T.ThreadUnsubscribeParams,
    result: T.ThreadUnsubscribeResponse,
    codexResult: 'v2/ThreadUnsubscribeResponse',
  }),
  'thread/name/set': clientRequest({
    typeName: 'ThreadSetName',
    stability: 'stable',
    summary: 'Renames a thread; `thread/name/updated` follows.',
    params: T.ThreadSetNameParams,
    result: T.ThreadSetNameResponse,
    codexResult: 'v2/ThreadSetNameResponse',
  }),
  'thread/revert': clientRequest({
    typeName: 'ThreadRevert',
    stability: 'stable',
    summary: 'Drops a turn and every later one from the thread\'s history; `thread/reverted` follows.',
    params: T.ThreadRevertParams,
    result: T.ThreadRevertResponse,
    codexResult: 'v2/ThreadRevertResponse',
  }),
  'thread/started': serverNotification({
    typeName: 'ThreadStarted',
    stability: 'stable',
    summary: 'A thread was created (start or fork).',
    params: T.ThreadStartedNotification,
  }),
  'thread/status/changed': serverNotification({
    typeName: 'ThreadStatusChanged',
    stability: 'stable',
    summary: 'A loaded thread became active or idle.',
    params: T.ThreadStatusChangedNotification,
  }),
  'thread/archived': serverNotification({
    typeName: 'ThreadArchived',
    stability: 'stable',
    summary: 'A thread was archived.',
    params: T.ThreadArchivedNotification,
  }),
  'thread/unarchived': serverNotification({
    typeName: 'ThreadUnarchived',
    stability: 'stable',
    summary: 'A thread was unarchived.',
    params: T.ThreadUnarchivedNotification,
  }),
  'thread/deleted': serverNotification({
    typeName: 'ThreadDeleted',
    stability: 'stable',
    summary: 'A thread was deleted.',
    params: T.ThreadDeletedNotification,
  }),
  'thread/reverted': serverNotification({
    typeName: 'ThreadReverted',
    stability: 'stable',
    summary: 'Turns were dropped from a thread (Keel adds `beforeTurnId`).',
    params: T.ThreadRevertedNotification,
  }),
  'thread/name/updated': serverNotification({
    typeName: 'ThreadNameUpdated',
    stability: 'stable',
    summary: 'A thread was renamed.',
    params: T.ThreadNameUpdatedNotification,
  }),
  'turn/started': serverNotification({
    typeName: 'TurnStarted',
    stability: 'stable',
    summary: 'A turn began.',
    params: T.TurnStartedNotification,
  }),
  'turn/completed': serverNotification({
    typeName: 'TurnCompleted',
    stability: 'stable',
    summary: 'A turn ended: completed, interrupted or failed.',
    params: T.TurnCompletedNotification,
  }),
  'item/started': serverNotification({
    typeName: 'ItemStarted',
    stability: 'stable',
    summary: 'An item began.',
    params: T.ItemStartedNotification,
  }),
  'item/completed': serverNotification({
    typeName: 'ItemCompleted',
    stability: 'stable',
    summary: 'An item ended; its payload is authoritative.',
    params: T.ItemCompletedNotification,
  }),
  'item/agentMessage/delta': serverNotification({
    typeName: 'AgentMessageDelta',
    stability: 'stable',
    summary: 'Streamed text of an agent message.',
    params: T.AgentMessageDeltaNotification,
  }),
  'item/plan/delta': serverNotification({
    typeName: 'PlanDelta',
    stability: 'stable',
    summary: 'Streamed text of a plan item.',
    params: T.PlanDeltaNotification,
  }),
  'item/reasoning/summaryTextDelta': serverNotification({
    typeName: 'ReasoningSummaryTextDelta',
    stability: 'stable',
    summary: 'Streamed reasoning summary text.',
    params: T.ReasoningSummaryTextDeltaNotification,
  }),
  'item/reasoning/summaryPartAdded': serverNotification({
    typeName: 'ReasoningSummaryPartAdded',
    stability: 'stable',
    summary: 'A new reasoning summary part began.',
    params: T.ReasoningSummaryPartAddedNotification,
  }),
  'item/reasoning/textDelta': serverNotification({
    typeName: 'ReasoningTextDelta',
    stability: 'stable',
    summary: 'Streamed raw reasoning text.',
    params: T.ReasoningTextDeltaNotification,
  }),
  'item/commandExecution/outputDelta': serverNotification({
    typeName: 'CommandExecutionOutputDelta',
    stability: 'stable',
    summary: 'Streamed command output.',
    params: T.CommandExecutionOutputDeltaNotification,
  }),
  'thread/tokenUsage/updated': serverNotification({
    typeName: 'ThreadTokenUsageUpdated',
    stability: 'stable',
    summary: 'Token usage after a model response.',
    params: T.ThreadTokenUsageUpdatedNotification,
  }),
  'error': serverNotification({
    typeName: 'Error',
    stability: 'stable',
    summary: 'A turn hit an error; `willRetry` says whether Keel retries.',
    params: T.ErrorNotification,
  }),
} as const;

export type MethodTable = typeof methodTable;
export type MethodName = keyof MethodTable;

type OfDirection<D extends string> = {
  [M in MethodName]: MethodTable[M]['direction'] extends D ? M : never;
}[MethodName];

export type ClientRequestMethod = OfDirection<'clientRequest'>;
export type ServerNotificationMethod = OfDirection<'serverNotification'>;
export type ServerRequestMethod = OfDirection<'serverRequest'>;

export function lookupMethod(method: string) {
  return Object.hasOwn(methodTable, method) ? methodTable[method as MethodName] : undefined;
}
