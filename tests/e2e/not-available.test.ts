// What of Codex's stable surface Keel still answers -32601, measured against the real server: every
// stable client request of Codex 0.171.0's schema is sent with `params: {}` (a -32601 comes before
// params are read, so `{}` tells "not served" from "served"). Each one still answering -32601 must
// be in the not-available table (src/protocol/not-in-keel.ts), answered with its reason, and listed
// in app-server.md; the count is printed.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaBundlePath } from '../../scripts/codex-protocol-path.js';
import { CODEX_PROTOCOL_VERSION } from '../../src/protocol/codex-version.js';
import { notInKeel } from '../../src/protocol/not-in-keel.js';
import { repoRoot } from '../helpers/conformance.js';
import { initialized, spawnKeel, type KeelProcess } from '../helpers/keel-process.js';


function stableClientRequests(): string[] {
  const file = schemaBundlePath('stable');
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: { ClientRequest: { oneOf: Array<{ properties: { method: { enum: string[] } } }> } } };
  return bundle.definitions.ClientRequest.oneOf.map((member) => member.properties.method.enum[0]!).sort();
}

let keel: KeelProcess;
beforeEach(async () => {
  keel = spawnKeel();
  await initialized(keel);
});
afterEach(async () => {
  await keel.close();
});

describe('stable Codex methods Keel answers -32601', () => {
  it('are all in the not-available table, each answered with its reason', async () => {
    const stable = stableClientRequests();
    const unserved: string[] = [];
    const answers: Record<string, unknown> = {};
    for (const [index, method] of stable.entries()) {
      if (method === 'initialize') continue;
      const answer = await keel.requestRaw({ id: `probe-${index}`, method, params: {} });
      if ((answer.error as { code?: number } | undefined)?.code === -32601) {
        unserved.push(method);
        answers[method] = answer.error;
      }
    }
    console.log(`${unserved.length} of ${stable.length} stable Codex ${CODEX_PROTOCOL_VERSION} client requests answer -32601:\n  ${unserved.join('\n  ')}`);

    expect(unserved.filter((method) => notInKeel[method] === undefined)).toEqual([]);
    const notAvailable = unserved.filter((method) => notInKeel[method] !== undefined);
    expect(notAvailable).toEqual(Object.keys(notInKeel).filter((method) => stable.includes(method)).sort());
    for (const method of notAvailable) {
      expect(answers[method]).toEqual({ code: -32601, message: `${method} is not available in Keel: ${notInKeel[method]}` });
    }
  });

  it('an unknown method is still "Method not found"', async () => {
    expect((await keel.requestRaw({ id: 'bogus', method: 'bogus/method', params: {} })).error).toEqual({ code: -32601, message: 'Method not found: bogus/method' });
  });

  it('app-server.md lists every not-available method with its reason', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'app-server.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Not available in Keel'));
    for (const [method, why] of Object.entries(notInKeel)) expect(section).toContain(`| \`${method}\` | ${why} |`);
  });
});
