// Reliability, part "told": what a client is told, attacked with generated input. Random invalid
// values for enum params (each answer names every allowed value), keys with a character HTTP cannot
// carry at a random place (each named with its variable and position; clean keys pass), bodies that
// are not an event stream (a JSON error or an HTML page sent as one: each is the provider's error,
// never retried as a cut stream), and a turn whose end the store refuses (it still ends, once, for
// every subscriber). Seeded from SEED; rerun a failure with the printed seed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ThreadStartParams } from '../../src/protocol/schemas/thread-methods.js';
import { unsendableIn } from '../../src/providers/manifest.js';
import { sseJson } from '../../src/providers/sse.js';
import { ProviderError } from '../../src/providers/types.js';
import { parseParams } from '../../src/server/validate.js';
import { openTestKeel, RecordingSubscriber } from '../helpers/engine.js';
import { rng } from '../helpers/rng.js';
import { reportPart, SEED } from './tally.js';

const random = rng(SEED * 41 + 7);
const counts = { attacks: 0, turns: 0 };
const startedAt = Date.now();
afterAll(() => reportPart('told', counts, startedAt));

const word = (length: number) => Array.from({ length }, () => String.fromCharCode(97 + random.int(26))).join('');

describe('reliability: what a client is told', () => {
  it('an invalid enum value always names the allowed values', () => {
    console.log(`reliability told: seed ${SEED}`);
    const fields = [
      ['approvalPolicy', '"untrusted"|"on-failure"|"on-request"|"never", or an object'],
      ['sandbox', '"read-only"|"workspace-write"|"danger-full-access"'],
      ['personality', '"none"|"friendly"|"pragmatic"'],
    ] as const;
    for (let i = 0; i < 150; i++) {
      const [field, allowed] = random.pick(fields);
      const value = random.next() < 0.8 ? word(1 + random.int(12)) : random.int(1000);
      let message = '';
      try {
        parseParams(ThreadStartParams, { [field]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, `${field} = ${JSON.stringify(value)}`).toBe(`Invalid params: ${field}: Invalid option: expected one of ${allowed}`);
      counts.attacks++;
    }
  });

  it('a key with a character HTTP cannot carry is named with its variable and position; clean keys pass', () => {
    const bad = ['\u2026', '\u2013', '\u200b', '\n', '\r', '\0', 'й', '🔑'];
    for (let i = 0; i < 300; i++) {
      const key = `sk-${word(8 + random.int(40))}`;
      if (random.next() < 0.3) {
        expect(unsendableIn('OPENAI_API_KEY', random.next() < 0.5 ? `${key}\n` : key)).toBeNull();
      } else {
        const char = random.pick(bad);
        const at = 1 + random.int(key.length - 1);
        const poisoned = key.slice(0, at) + char + key.slice(at);
        expect(unsendableIn('OPENAI_API_KEY', poisoned), JSON.stringify(poisoned)).toBe(
          `OPENAI_API_KEY contains a character that cannot be sent in an HTTP header (character ${at + 1}); set it again without it`,
        );
      }
      counts.attacks++;
    }
  });

  it('a JSON error or an HTML page sent as an event stream is the provider\'s error, never a retryable cut stream', async () => {
    for (let i = 0; i < 200; i++) {
      const message = `${word(4)} ${word(6)} ${word(3)}`;
      const html = random.next() < 0.5;
      const title = `${word(5)}  ${word(7)}`;
      const body = html
        ? `${random.pick(['<!DOCTYPE html>', '<!doctype html>\n', '<html lang="en">'])}<html><head><title>${title}</title></head><body>${word(50)}</body></html>`
        : JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }, null, random.int(3));
      const response = new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'x-request-id': `req_${i}` } });
      let failure: unknown;
      try {
        for await (const _ of sseJson(response, () => null)) throw new Error('no event was expected');
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(ProviderError);
      const error = failure as ProviderError;
      expect({ message: error.message, kind: error.kind, retryable: error.retryable }).toEqual(
        html
          ? { message: `the provider answered with an HTML page, not a stream (status 200): ${title.replace(/\s+/g, ' ')}`, kind: 'other', retryable: false }
          : { message, kind: 'badRequest', retryable: false },
      );
      counts.attacks++;
    }
  });

  it('a turn whose end the store refuses ends once for every subscriber, and once in the log', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-told-'));
    const script = path.join(home, 'script.json');
    fs.writeFileSync(script, JSON.stringify({ responses: [[{ text: 'done' }]] }));
    const { keel, cleanup } = await openTestKeel({ env: { KEEL_SCRIPT: script } }, home);
    try {
      const clients = Array.from({ length: 2 + random.int(4) }, () => new RecordingSubscriber());
      const started = await keel.threads.start({}, clients[0]!);
      started.publish();
      const threadId = started.value.id;
      for (const client of clients.slice(1)) (await keel.threads.resume(threadId, {}, client)).publish();
      keel.database!.sqlite.exec(`CREATE TEMP TRIGGER refuse_end BEFORE INSERT ON events WHEN NEW.type = 'turn/completed' BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END`);
      const turn = await keel.threads.startTurn(threadId, { input: [{ type: 'text', text: 'hi', text_elements: [] }], settings: {}, options: { summary: null, outputSchema: null } }, clients[0]!);
      turn.publish();
      for (const client of clients) await client.waitFor((n) => n.method === 'turn/completed', 15_000);
      keel.database!.sqlite.exec('DROP TRIGGER temp.refuse_end');
      (await keel.registry.load(threadId));
      for (const client of clients) expect(client.received.filter((n) => n.method === 'turn/completed').map((n) => (n.params as { turn: { status: string } }).turn.status)).toEqual(['failed']);
      expect((await keel.registry.read(threadId)).activeTurnId).toBeNull();
      counts.attacks += clients.length;
      counts.turns++;
    } finally {
      await keel.close();
      cleanup();
    }
  });
});
