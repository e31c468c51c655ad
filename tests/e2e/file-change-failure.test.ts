// A file change that cannot be applied tells the client why, not only the model: the official
// fileChange item has no field for a reason, so right after its `item/completed {status: "failed"}`
// comes `warning {threadId, message}` naming the item and carrying the reason the model is given.
// It derives from the stored item/completed (core/codec.ts), so a replay tells it the same way.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, keelWithThread, params, runTurn } from '../helpers/turns.js';
import { chat as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

describe('a failed fileChange on the wire', () => {
  it('is followed by a warning naming the item with the reason the model was given', async () => {
    const cwd = workspace();
    fs.writeFileSync(path.join(cwd, 'a.txt'), 'one\ntwo\n');
    const patch = '*** Begin Patch\n*** Update File: a.txt\n@@\n-three\n+four\n*** End Patch';
    fake.script(wire.route, [{ sse: wire.stream([wire.toolCall('call_1', 'apply_patch', JSON.stringify({ input: patch }))], { finish: 'tool_calls' }) }, { sse: wire.stream([wire.text('It did not apply.')]) }]);
    const config = ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'];
    const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, config, spawn: { cwd, env: { FAKE_API_KEY: 'test-key' } } });
    const seq = await runTurn(keel, threadId, 'change it');

    const completed = seq.findIndex((m) => m.method === 'item/completed' && params(m).item.id === 'call_1');
    expect(params(seq[completed]!).item).toMatchObject({ type: 'fileChange', id: 'call_1', status: 'failed' });
    const toldModel = (fake.calls[1]!.body as any).messages.find((m: any) => m.role === 'tool').content as string;
    expect(toldModel).toMatch(/^a\.txt: /);
    expect(seq[completed + 1]).toMatchObject({ method: 'warning', params: { threadId, message: `fileChange call_1 was not applied: ${toldModel}` } });
    expect(seq.filter((m) => m.method === 'error')).toEqual([]);
  });
});
