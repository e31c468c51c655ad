import { describe, expect, it } from 'vitest';
import { MAX_TOOL_NAME_LENGTH, qualifiedToolName, qualifyToolNames } from '../../src/mcp/index.js';

describe('qualified MCP tool names', () => {
  it.each([
    ['fs', 'read_file', 'mcp__fs__read_file'],
    ['my-server', 'get-sum', 'mcp__my-server__get-sum'],
    ['my.server', 'tool name/with:odd*chars', 'mcp__my_server__tool_name_with_odd_chars'],
    ['ünï', 'çödé', 'mcp___n_____d_'],
  ])('%s / %s → %s', (server, tool, expected) => {
    expect(qualifiedToolName(server, tool)).toBe(expected);
  });

  it('cuts names over 64 characters and appends a stable hash, keeping them unique', () => {
    const long = 'a'.repeat(80);
    const one = qualifiedToolName('server', long);
    const other = qualifiedToolName('server', long + 'b');
    expect(one).toMatch(/^mcp__server__a+_[0-9a-f]{8}$/);
    expect(one).toHaveLength(MAX_TOOL_NAME_LENGTH);
    expect(other).toHaveLength(MAX_TOOL_NAME_LENGTH);
    expect(one).not.toBe(other);
    expect(qualifiedToolName('server', long)).toBe(one);
  });

  it('keeps a name of exactly 64 characters as it is', () => {
    const tool = 'x'.repeat(MAX_TOOL_NAME_LENGTH - 'mcp__s__'.length);
    expect(qualifiedToolName('s', tool)).toBe(`mcp__s__${tool}`);
  });

  it('maps qualified names back, giving the second of two colliding names a hashed form', () => {
    const map = qualifyToolNames([
      { server: 's', tool: 'a.b' },
      { server: 's', tool: 'a_b' },
      { server: 's', tool: 'a.b' },
    ]);
    const names = [...map.keys()];
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('mcp__s__a_b');
    expect(names[1]).toMatch(/^mcp__s__a_b_[0-9a-f]{8}$/);
    expect(Object.fromEntries(map)).toEqual({
      mcp__s__a_b: { server: 's', tool: 'a.b' },
      [names[1]!]: { server: 's', tool: 'a_b' },
    });
  });
});
