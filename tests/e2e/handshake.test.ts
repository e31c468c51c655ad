import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, initialized, makeTempHome, spawnKeel, testClientInfo } from '../helpers/keel-process.js';

const initializeParams = { clientInfo: testClientInfo };

describe('initialize handshake', () => {
  it('answers initialize with the server identity and the home as codexHome', async () => {
    const keel = spawnKeel();
    const result = await keel.request('initialize', initializeParams);
    expect(result).toEqual({
      // Codex's shape, with the protocol version first (what clients gate on) and Keel where Codex names the terminal.
      userAgent: expect.stringMatching(/^keel-tests\/0\.171\.0 \(\S+ \d+\.\d+\.\d+; \w+\) keel\/\S+ \(keel-tests; 0\.0\.0\)$/),
      codexHome: keel.home,
      platformFamily: 'unix',
      platformOs: 'linux',
    });
    expect(path.isAbsolute(keel.home)).toBe(true);
  });

  it('reports a relative KEEL_HOME as an absolute path', async () => {
    const cwd = makeTempHome();
    try {
      const keel = spawnKeel({ cwd, home: 'relative-home' });
      const result = await keel.request('initialize', initializeParams);
      expect(result.codexHome).toBe(path.join(fs.realpathSync(cwd), 'relative-home'));
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses requests before initialize with "Not initialized"', async () => {
    const keel = spawnKeel();
    expect(await errorOf(keel.request('server/diagnostics', {}))).toEqual({ code: -32600, message: 'Not initialized' });
    await initialized(keel, { experimentalApi: true });
    expect(await keel.request('server/diagnostics', {})).toMatchObject({ process: { id: keel.pid } });
  });

  it('refuses a second initialize with "Already initialized"', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    expect(await errorOf(keel.request('initialize', initializeParams))).toEqual({ code: -32600, message: 'Already initialized' });
  });

  it('accepts the initialized notification silently and keeps serving', async () => {
    const keel = spawnKeel();
    await keel.requestRaw({ id: 1, method: 'initialize', params: { ...initializeParams, capabilities: { experimentalApi: true } } });
    keel.notify('initialized');
    await keel.requestRaw({ id: 2, method: 'initialize', params: initializeParams });
    // Requests are answered in order, so anything sent back for `initialized` would sit between.
    expect(keel.messages).toEqual([
      { id: 1, result: expect.objectContaining({ platformOs: 'linux' }) },
      { id: 2, error: { code: -32600, message: 'Already initialized' } },
    ]);
  });

  it('echoes string and integer request ids unchanged', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    const ids = ['abc', '', '7', 'ü-🚀', 0, -7, 2 ** 31, Number.MAX_SAFE_INTEGER];
    const answers = await Promise.all(ids.map((id) => keel.requestRaw({ id, method: 'initialize', params: initializeParams })));
    expect(answers).toEqual(ids.map((id) => ({ id, error: { code: -32600, message: 'Already initialized' } })));
  });

  // vscode-jsonrpc queued incoming requests under the key `req-${String(id)}`, so a request whose
  // id stringified like one still queued ("0" and 0) replaced it and was never answered; our own
  // connection keeps ids as sent. Kept so that it stays fixed.
  it('answers every request when ids stringify alike ("0" and 0)', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    const ids = ['0', 0, 1, '1'];
    await keel.sendLines(ids.map((id) => JSON.stringify({ id, method: 'bogus' })));
    expect(await keel.close()).toBe(0);
    expect(keel.messages.slice(1)).toEqual(ids.map((id) => ({ id, error: { code: -32601, message: 'Method not found: bogus' } })));
  });
});
