// A provider that answers 200 with something other than an event stream — its JSON error sent as
// `text/event-stream`, or an HTML page (a captive portal, a wrong base URL) — is reported in the
// provider's words, or as the page it is, and not retried as a cut stream: with the default
// retries on, the fake model server's strict script proves exactly one call per turn.
import { describe, expect, it } from 'vitest';
import type { FakeResponse } from '../helpers/fake-model-server.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { errorsOf, keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { FAULT_WIRES } from '../reliability/fault-wires.js';

const fake = useFakeModelServer();
const PORTAL = '<!DOCTYPE html>\n<html><head>\n<title>\n  Sign in to Hotel   WiFi\n</title></head><body><form>…</form></body></html>\n';

describe.each(FAULT_WIRES.map((wire) => ({ wire, name: wire.name })))('$name: a 200 that is not an event stream', ({ wire }) => {
  const cases: Array<{ name: string; response: FakeResponse; error: { message: string; codexErrorInfo: unknown } }> = [
    {
      name: 'a JSON error sent as text/event-stream is the error it carries',
      response: { raw: JSON.stringify(wire.error(400, 'invalid_request_error', 'The model gpt-9 does not exist').json, null, 2), headers: { 'content-type': 'text/event-stream' } },
      error: { message: 'The model gpt-9 does not exist', codexErrorInfo: 'badRequest' },
    },
    {
      name: 'an HTML page (text/html) is reported by its title',
      response: { raw: PORTAL, headers: { 'content-type': 'text/html; charset=utf-8' } },
      error: { message: 'the provider answered with an HTML page, not a stream (status 200): Sign in to Hotel WiFi', codexErrorInfo: 'other' },
    },
    {
      name: 'an HTML page sent as text/event-stream too',
      response: { raw: PORTAL, headers: { 'content-type': 'text/event-stream' } },
      error: { message: 'the provider answered with an HTML page, not a stream (status 200): Sign in to Hotel WiFi', codexErrorInfo: 'other' },
    },
  ];

  it('each fails its turn once, in the provider\'s words, with no retry', async () => {
    fake.script(wire.route, cases.map((c) => c.response));
    const setup = wire.setup(fake);
    const { keel, threadId } = await keelWithThread({ ...setup, spawn: { env: setup.env } });
    for (const [call, { name, error }] of cases.entries()) {
      const seq = await runTurn(keel, threadId, name);
      const turn = turnOf(seq);
      expect({ name, status: turn.status, error: turn.error, calls: fake.calls.length }).toEqual({ name, status: 'failed', error: { ...error, additionalDetails: null }, calls: call + 1 });
      expect(errorsOf(seq)).toEqual([{ threadId, turnId: turn.id, willRetry: false, error: turn.error }]);
    }
  });
});
