import { describe, expect, it } from 'vitest';
import { sameConfig, toolAllowed, type McpServerConfig } from '../../src/mcp/index.js';

const base: McpServerConfig = {
  name: 'fs',
  transport: { type: 'stdio', command: 'node', args: ['a.js', '--x'], env: { A: '1', B: '2' }, cwd: null },
  enabled: true,
  startupTimeoutMs: 10_000,
  toolTimeoutMs: 60_000,
  enabledTools: null,
  disabledTools: [],
};

describe('server config', () => {
  it('sameConfig ignores key order, not values or argument order', () => {
    const reordered: McpServerConfig = { ...base, transport: { type: 'stdio', cwd: null, env: { B: '2', A: '1' }, args: ['a.js', '--x'], command: 'node' } };
    expect(sameConfig(base, reordered)).toBe(true);
    expect(sameConfig(base, { ...base, transport: { type: 'stdio', command: 'node', args: ['--x', 'a.js'], env: { A: '1', B: '2' }, cwd: null } })).toBe(false);
    expect(sameConfig(base, { ...base, toolTimeoutMs: 1 })).toBe(false);
    expect(sameConfig(base, { ...base, disabledTools: ['x'] })).toBe(false);
  });

  it('applies enabledTools, then disabledTools', () => {
    const config = { ...base, enabledTools: ['echo', 'add'], disabledTools: ['add'] };
    expect(['echo', 'add', 'slow'].filter((t) => toolAllowed(config, t))).toEqual(['echo']);
    expect(['echo', 'add'].filter((t) => toolAllowed({ ...base, disabledTools: ['echo'] }, t))).toEqual(['add']);
  });
});
