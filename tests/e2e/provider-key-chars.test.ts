// A key HTTP cannot carry (pasted with a typographic character or a line break inside) is
// named with its variable before any request, not "internal error: Cannot convert argument to a
// ByteString"; the model server never sees a call.
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { keelWithThread, params, runTurn } from '../helpers/turns.js';

const fake = useFakeModelServer();

describe('a key with a character HTTP cannot carry', () => {
  it.each([
    ['OPENAI_API_KEY', 'OPENAI_BASE_URL', '/v1', 'sk-test…key', 8],
    ['OPENAI_API_KEY', 'OPENAI_BASE_URL', '/v1', 'sk-test\r\nkey', 8],
    ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', '', 'sk-ant-ключ', 8],
  ])('%s %j fails the turn naming the variable, with no request made', async (variable, baseVar, basePath, key, position) => {
    const provider = variable === 'OPENAI_API_KEY' ? 'openai' : 'anthropic';
    const model = provider === 'openai' ? 'gpt-5' : 'claude-sonnet-4-5';
    const { keel, threadId } = await keelWithThread({ spawn: { env: { [variable]: key, [baseVar]: `${fake.url}${basePath}` } }, thread: { modelProvider: provider, model } });
    const seq = await runTurn(keel, threadId, 'hi');
    const error = {
      message: `${variable} contains a character that cannot be sent in an HTTP header (character ${position}); set it again without it`,
      codexErrorInfo: 'unauthorized',
      additionalDetails: null,
    };
    expect(params(seq.find((m) => m.method === 'turn/completed')!).turn).toMatchObject({ status: 'failed', error });
    expect(seq.filter((m) => m.method === 'error').map(params)).toEqual([{ threadId, turnId: expect.any(String), willRetry: false, error }]);
    expect(fake.calls).toEqual([]);
  });
});
