// thread/search, thread/search/stream and their cancels, and thread/searchOccurrences. A search
// in flight is known by its connection and request id until it answers, so that a cancel on the
// same connection (thread/search/cancel for thread/search, thread/search/stream/cancel for the
// stream) stops it at its next step; it then answers an error. A cancel of a search that is not
// in flight (done, never sent, of another connection) changes nothing and answers {} as well.
import { MAX_PAGE } from '../../../engine/history-pages.js';
import { searchOccurrences } from '../../../engine/search-occurrences.js';
import type { ThreadQueries, ThreadSearchRow } from '../../../engine/thread-queries.js';
import { DomainErrors } from '../../../kernel/errors.js';
import type { ParamsOf } from '../../../protocol/wire-types.js';
import type { Handler, RequestContext } from '../../dispatch.js';
import type { Session } from '../../session.js';
import { pageLimit, refuseCurrentAccountOnly, sortColumnOf } from './shapes.js';

export interface ThreadSearchServices {
  queries: Pick<ThreadQueries, 'search' | 'read'>;
}

type SearchMethod = 'thread/search' | 'thread/search/stream';

/** The searches in flight, per connection: `${method} ${JSON of the request id}` → its cancel switch. */
const inFlight = new WeakMap<Session, Map<string, AbortController>>();

const keyOf = (method: SearchMethod, requestId: string | number) => `${method} ${JSON.stringify(requestId)}`;

export function threadSearchHandlers({ queries }: ThreadSearchServices): {
  'thread/search': Handler<'thread/search'>;
  'thread/search/stream': Handler<'thread/search/stream'>;
  'thread/search/cancel': Handler<'thread/search/cancel'>;
  'thread/search/stream/cancel': Handler<'thread/search/stream/cancel'>;
  'thread/searchOccurrences': Handler<'thread/searchOccurrences'>;
} {
  const run = async (method: SearchMethod, params: ParamsOf<'thread/search'>, ctx: RequestContext, partial?: (rows: ThreadSearchRow[]) => void) => {
    unsupportedFilters(params);
    const running = inFlight.get(ctx.session) ?? new Map<string, AbortController>();
    inFlight.set(ctx.session, running);
    const key = keyOf(method, ctx.requestId);
    const cancel = new AbortController();
    running.set(key, cancel);
    try {
      const page = await queries.search(
        {
          term: params.searchTerm.trim(),
          sortColumn: sortColumnOf(params.sortKey),
          direction: params.sortDirection ?? 'desc',
          limit: pageLimit(params.limit, 25, MAX_PAGE),
          cursor: params.cursor ?? null,
          archived: params.archived === true,
          sourceKinds: params.sourceKinds ?? null,
        },
        // Either the cancel method or the client's $/cancelRequest stops it.
        { signal: AbortSignal.any([cancel.signal, ctx.signal]), partial },
      );
      return { ...page, backwardsCursor: null };
    } finally {
      if (running.get(key) === cancel) running.delete(key);
    }
  };
  const cancel = (method: SearchMethod) => (params: { requestId: string | number }, ctx: RequestContext) => {
    inFlight.get(ctx.session)?.get(keyOf(method, params.requestId))?.abort();
    return {};
  };
  return {
    'thread/search': (params, ctx) => run('thread/search', params, ctx),
    'thread/search/stream': (params, ctx) =>
      run('thread/search/stream', params, ctx, (rows) => ctx.session.notify('thread/search/partial', { requestId: ctx.requestId, data: rows })),
    'thread/search/cancel': cancel('thread/search'),
    'thread/search/stream/cancel': cancel('thread/search/stream'),
    'thread/searchOccurrences': async (params) => {
      const state = await queries.read(params.threadId);
      return searchOccurrences(state, params.searchTerm.trim(), params.cursor ?? null, pageLimit(params.limit, 50, MAX_PAGE));
    },
  };
}

/** What Keel cannot apply is refused naming the field, never ignored. */
function unsupportedFilters(params: ParamsOf<'thread/search'>): void {
  refuseCurrentAccountOnly(params.currentAccountOnly);
  if (params.includeAttachedThreads === true) throw DomainErrors.invalid('Keel has no attached threads: only false is supported', 'includeAttachedThreads');
}
