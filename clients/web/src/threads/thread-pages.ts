// Fetching the thread list's pages (the server's default order: newest first): thread/list unfiltered, and for a search thread/search
// (experimental, with a snippet per thread) — or, on a server without it (Codex 0.169 answers
// -32601, a server gating it -32600), thread/list's `searchTerm`, remembered for the connection.
import type { InspectorModel } from '../model/inspector-model.js';
import type { ThreadRow } from './thread-rows.js';

export const PAGE_SIZE = 25;

export interface ThreadPage {
  rows: ThreadRow[];
  nextCursor: string | null;
}

const NO_SEARCH_METHOD = new Set([-32601, -32600]);
const withoutSearch = new WeakSet<object>();

export async function fetchThreadPage(model: InspectorModel, searchTerm: string, cursor: string | null): Promise<ThreadPage> {
  const term = searchTerm.trim();
  const connection = model.connection;
  if (term !== '' && connection !== null && !withoutSearch.has(connection)) {
    try {
      const page = await model.request('thread/search', { searchTerm: term, cursor, limit: PAGE_SIZE });
      return { rows: page.data.map(({ thread, snippet }) => ({ thread, snippet })), nextCursor: page.nextCursor };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'number' || !NO_SEARCH_METHOD.has(code)) throw error;
      withoutSearch.add(connection);
    }
  }
  const page = await model.request('thread/list', { cursor, limit: PAGE_SIZE, ...(term === '' ? {} : { searchTerm: term }) });
  return { rows: page.data.map((thread) => ({ thread })), nextCursor: page.nextCursor };
}
