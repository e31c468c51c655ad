// Which requests the thread list sends for a page: thread/list unfiltered; thread/search for a
// search, falling back for good to thread/list's searchTerm on a server without it.
import { describe, expect, it } from 'vitest';
import { KeelRpcError } from '../../../clients/typescript/rpc-error.js';
import { fetchThreadPage } from '../../../clients/web/src/threads/thread-pages.js';
import type { InspectorModel } from '../../../clients/web/src/model/inspector-model.js';

const thread = { id: 't1' };

/** A model whose requests are logged and answered by `answer` (which may throw). */
function fakeModel(answer: (method: string) => unknown) {
  const sent: [string, unknown][] = [];
  const model = {
    connection: {},
    request: async (method: string, params: unknown) => {
      sent.push([method, params]);
      return answer(method);
    },
  } as unknown as InspectorModel;
  return { model, sent };
}

describe('fetchThreadPage', () => {
  it('lists without a search term', async () => {
    const { model, sent } = fakeModel(() => ({ data: [thread], nextCursor: 'c2' }));
    expect(await fetchThreadPage(model, '  ', 'c1')).toEqual({ rows: [{ thread }], nextCursor: 'c2' });
    expect(sent).toEqual([['thread/list', { cursor: 'c1', limit: 25 }]]);
  });

  it('searches with thread/search, keeping the snippets', async () => {
    const { model, sent } = fakeModel(() => ({ data: [{ thread, snippet: '…zebra…' }], nextCursor: null }));
    expect(await fetchThreadPage(model, ' zebra ', null)).toEqual({ rows: [{ thread, snippet: '…zebra…' }], nextCursor: null });
    expect(sent).toEqual([['thread/search', { searchTerm: 'zebra', cursor: null, limit: 25 }]]);
  });

  it('falls back to thread/list searchTerm on -32601, and stops asking thread/search', async () => {
    const { model, sent } = fakeModel((method) => {
      if (method === 'thread/search') throw new KeelRpcError(-32601, 'method not found');
      return { data: [thread], nextCursor: null };
    });
    expect(await fetchThreadPage(model, 'zebra', null)).toEqual({ rows: [{ thread }], nextCursor: null });
    expect(await fetchThreadPage(model, 'lion', null)).toEqual({ rows: [{ thread }], nextCursor: null });
    expect(sent.map(([method]) => method)).toEqual(['thread/search', 'thread/list', 'thread/list']);
    expect(sent[2]).toEqual(['thread/list', { cursor: null, limit: 25, searchTerm: 'lion' }]);
  });

  it('passes other errors on', async () => {
    const { model } = fakeModel(() => {
      throw new KeelRpcError(-32602, 'bad params');
    });
    await expect(fetchThreadPage(model, 'zebra', null)).rejects.toThrow('bad params');
  });
});
