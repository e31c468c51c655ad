import { describe, expect, it } from 'vitest';
import { errorOf, initialized, spawnKeel } from '../helpers/keel-process.js';

describe('experimental API gate', () => {
  it.each([
    { name: 'no capabilities', capabilities: {} },
    { name: 'experimentalApi: false', capabilities: { experimentalApi: false } },
  ])('refuses server/diagnostics with $name', async ({ capabilities }) => {
    const keel = spawnKeel();
    await initialized(keel, capabilities);
    expect(await errorOf(keel.request('server/diagnostics', {}))).toEqual({
      code: -32600,
      message: 'server/diagnostics requires experimentalApi capability',
    });
  });

  it('serves server/diagnostics with experimentalApi: true', async () => {
    const keel = spawnKeel();
    await initialized(keel, { experimentalApi: true });
    const result = await keel.request('server/diagnostics', {});
    expect(result).toEqual({
      process: { id: keel.pid, residentMemoryBytes: expect.any(Number), physicalFootprintBytes: null },
      gauges: expect.arrayContaining([{ name: 'uptimeMs', value: expect.any(Number) }]),
    });
    expect(result.process.residentMemoryBytes).toBeGreaterThan(0);
  });
});
