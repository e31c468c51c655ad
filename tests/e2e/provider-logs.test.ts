// Provider failures, retries and fallbacks are logged (pino JSON on stderr, at warn), each with the
// thread, the turn, the provider and model, and the provider's own request id, so an operator can
// match a failed turn with the provider's records. Whole records are asserted (time and pid aside).
import { describe, expect, it } from 'vitest';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { anthropic, responses } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

/** Keel's log records about provider calls, without the fields that vary from run to run. */
function providerRecords(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => 'modelProvider' in record)
    .map(({ time: _time, pid: _pid, ...rest }) => rest);
}

describe('provider failures in the log', () => {
  it('logs a retry, a fallback and the final failure, each with thread, turn and request id', async () => {
    fake.script(responses.route, [
      { ...responses.error(500, 'server_error', 'upstream hiccup'), headers: { 'x-request-id': 'req_first', 'retry-after': '0' } },
      { ...responses.error(503, 'server_is_overloaded', 'still down'), headers: { 'x-request-id': 'req_second', 'retry-after': '0' } },
    ]);
    fake.script(anthropic.route, [{ ...anthropic.error(401, 'authentication_error', 'invalid x-api-key'), headers: { 'request-id': 'req_third' } }]);
    const { keel, threadId } = await keelWithThread({
      keel: ['max_retries = 1', 'fallback = [{ model_provider = "anthropic", model = "claude-sonnet-4-5" }]'],
      spawn: { env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1`, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url } },
    });
    const turn = turnOf(await runTurn(keel, threadId, 'hi'));
    expect(turn.status).toBe('failed');
    await keel.close();
    const at = { threadId, turnId: turn.id };
    expect(providerRecords(keel.stderr)).toEqual([
      { level: 40, ...at, modelProvider: 'openai', model: 'gpt-5', requestId: 'req_first', httpStatus: 500, kind: 'internalServerError', error: '500 upstream hiccup', attempt: 1, retryInMs: 0, msg: 'provider call failed; retrying' },
      { level: 40, ...at, modelProvider: 'openai', model: 'gpt-5', requestId: 'req_second', httpStatus: 503, kind: 'serverOverloaded', error: '503 still down', fallback: 'anthropic/claude-sonnet-4-5', msg: 'provider call failed; the turn continues on a fallback' },
      { level: 40, ...at, modelProvider: 'anthropic', model: 'claude-sonnet-4-5', requestId: 'req_third', httpStatus: 401, kind: 'unauthorized', error: '401 invalid x-api-key', msg: 'provider call failed; the turn fails' },
    ]);
  });
});
