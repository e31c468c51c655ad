// thread/search, thread/search/stream (+ thread/search/partial), their cancels, and
// thread/searchOccurrences, as Codex 0.171.0 defines them (experimental there, and here).
import * as z from 'zod';
import { emptyObject, RequestId, UInt } from './common.js';
import { SortDirection, Thread, ThreadSourceKind } from './thread-model.js';

/** Codex's bound for thread/search/stream, applied to both: UTF-8 bytes of the trimmed term. */
export const SEARCH_TERM_MAX_BYTES = 65_536;

export const ThreadSearchSortKey = z.enum(['created_at', 'updated_at', 'recency_at']);

const searchTerm = z
  .string()
  .refine((term) => Buffer.byteLength(term.trim()) <= SEARCH_TERM_MAX_BYTES, { error: `too long: at most ${SEARCH_TERM_MAX_BYTES} UTF-8 bytes after trimming` })
  .refine((term) => term.trim() !== '', { error: 'must not be empty' });

export const ThreadSearchParams = z.object({
  searchTerm,
  cursor: z.string().nullish(),
  limit: UInt.nullish(),
  sortKey: ThreadSearchSortKey.nullish(),
  sortDirection: SortDirection.nullish(),
  archived: z.boolean().nullish(),
  sourceKinds: z.array(ThreadSourceKind).nullish(),
  currentAccountOnly: z.boolean().optional(),
  includeAttachedThreads: z.boolean().optional(),
});

export const ThreadSearchResult = z.object({ snippet: z.string(), thread: Thread });

export const ThreadSearchResponse = z.object({
  data: z.array(ThreadSearchResult),
  nextCursor: z.string().nullable(),
  backwardsCursor: z.string().nullable(),
});

export const ThreadSearchPartialNotification = z.object({ requestId: RequestId, data: z.array(ThreadSearchResult) });

export const ThreadSearchCancelParams = z.object({ requestId: RequestId });
export const ThreadSearchCancelResponse = emptyObject();

export const ThreadSearchTextRange = z.object({ start: UInt, end: UInt });

export const ThreadSearchOccurrencesParams = z.object({
  threadId: z.string(),
  searchTerm: searchTerm,
  cursor: z.string().nullish(),
  limit: UInt.nullish(),
});

export const ThreadSearchOccurrence = z.object({
  itemId: z.string(),
  turnId: z.string(),
  turnCursor: z.string(),
  snippet: z.string(),
  snippetMatchRange: ThreadSearchTextRange,
});

export const ThreadSearchOccurrencesResponse = z.object({
  data: z.array(ThreadSearchOccurrence),
  nextCursor: z.string().nullable(),
});

// The stream and its cancel take the same shapes under their own names (the generated types are
// named per method; one zod object registers under one name only).
export const ThreadSearchStreamParams = ThreadSearchParams.extend({});
export const ThreadSearchStreamResponse = ThreadSearchResponse.extend({});
export const ThreadSearchStreamCancelParams = ThreadSearchCancelParams.extend({});
export const ThreadSearchStreamCancelResponse = emptyObject();
