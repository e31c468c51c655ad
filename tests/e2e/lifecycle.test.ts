import { describe, expect, it } from 'vitest';
import { initialized, spawnKeel } from '../helpers/keel-process.js';

describe('lifecycle', () => {
  it('answers every request sent before EOF, then exits 0', async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const ids = Array.from({ length: 50 }, (_, i) => 100 + i);
    const answers = Promise.all(
      ids.map((id) => keel.requestRaw({ id, method: id % 2 ? 'bogus' : 'server/diagnostics', params: {} })),
    );
    expect(await keel.close()).toBe(0);
    expect(await answers).toEqual(
      ids.map((id) =>
        id % 2
          ? { id, error: { code: -32601, message: 'Method not found: bogus' } }
          : { id, result: expect.objectContaining({ process: expect.objectContaining({ id: keel.pid }) }) },
      ),
    );
  });

  it('exits 0 on SIGTERM', async () => {
    const keel = spawnKeel();
    await initialized(keel);
    expect(await keel.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('exits 0 on EOF before any request', async () => {
    const keel = spawnKeel();
    expect(await keel.close()).toBe(0);
    expect(keel.messages).toEqual([]);
  });

  it('logs to stderr as JSON lines, never to stdout', async () => {
    const keel = spawnKeel({ env: { LOG_LEVEL: 'debug' } });
    await initialized(keel);
    expect(await keel.close()).toBe(0);
    const logs = keel.stderr
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toContainEqual(expect.objectContaining({ level: 20, pid: keel.pid, msg: 'shutting down', reason: 'input ended' }));
    // stdout held exactly the one answer (the harness already checked that every line is protocol).
    expect(keel.messages).toEqual([{ id: 1, result: expect.objectContaining({ codexHome: keel.home }) }]);
  });
});
