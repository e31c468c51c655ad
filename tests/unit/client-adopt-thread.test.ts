// KeelConnection.adoptThread: a Thread as the server answered it becomes the folded state, and
// reads back as the same Thread, whenever it was created and last changed.
import { describe, expect, it } from 'vitest';
import { KeelConnection } from '../../clients/typescript/keel-connection.js';
import type { Thread } from '../../generated/protocol.js';
import { expectedThread } from '../helpers/threads.js';

const thread: Thread = expectedThread('/work', {
  id: 'thr_1',
  sessionId: 'thr_1',
  name: 'old thread',
  preview: 'hello',
  cliVersion: '0.1.0',
  createdAt: 1_700_000_000,
  updatedAt: 1_700_003_600,
  turns: [
    {
      id: 'turn_1',
      items: [
        { type: 'userMessage', id: 'item_1', content: [{ type: 'text', text: 'hello', text_elements: [] }] },
        { type: 'agentMessage', id: 'item_2', text: 'hi', phase: null, memoryCitation: null },
      ],
      itemsView: 'full',
      status: 'completed',
      error: null,
      startedAt: 1_700_003_590,
      completedAt: 1_700_003_600,
      durationMs: 9_500,
    },
  ],
});

describe('KeelConnection.adoptThread', () => {
  it('reads back the Thread it adopted, times included', () => {
    const connection = new KeelConnection(() => {});
    connection.adoptThread(thread);
    expect(connection.wireThread('thr_1')).toEqual(thread);
  });

  it('replaces what the connection had folded of that thread, and live notifications fold on top', () => {
    const connection = new KeelConnection(() => {});
    connection.adoptThread({ ...thread, name: 'stale', turns: [] });
    connection.adoptThread(thread);
    connection.receive(JSON.stringify({ method: 'thread/name/updated', params: { threadId: 'thr_1', threadName: 'renamed' }, emittedAtMs: 1_700_007_200_000 }));
    expect(connection.wireThread('thr_1')).toEqual({ ...thread, name: 'renamed', updatedAt: 1_700_007_200 });
  });
});
