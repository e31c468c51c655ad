// The TypeScript client library against the real server: typed requests, notifications folded by
// the core reducer into the same thread thread/read returns.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeelClient, KeelRpcError } from '../../clients/typescript/keel-client.js';
import { allTurns, threadSnapshot } from '../../src/core/snapshot.js';
import { summaryOf } from '../../src/core/summary.js';

describe('clients/typescript', () => {
  it('drives a turn and folds the stream into the thread the server reads back', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-client-'));
    const env = { ...process.env, KEEL_HOME: home, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', KEEL_SCRIPT: '' };
    const keel = KeelClient.spawn({ env });
    const opened = await keel.open();
    expect(opened.codexHome).toBe(home);
    const { thread } = await keel.request('thread/start', { cwd: home });
    const deltas: string[] = [];
    keel.onNotification((n) => {
      if (n.method === 'item/agentMessage/delta') deltas.push(n.params.delta);
    });
    const done = keel.next('turn/completed');
    const idle = keel.next('thread/status/changed', (n) => n.params.status.type === 'idle');
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi there' }] });
    expect((await done).params.turn.status).toBe('completed');
    await idle;
    expect(deltas.join('')).toContain('You said: hi there');
    const read = await keel.request('thread/read', { threadId: thread.id, includeTurns: true });
    const folded = keel.state.threads[thread.id]!;
    expect(read.thread).toEqual(threadSnapshot(summaryOf(folded), { status: read.thread.status, turns: allTurns(folded) }));
    await expect(keel.request('thread/read', { threadId: 'nope' })).rejects.toEqual(new KeelRpcError(-32600, 'thread not found: nope'));
    expect(await keel.close()).toBe(0);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
