// A turn's tools from its three sources (engine/turns/tool-source.ts): offered in one order —
// Keel's own, the client's, MCP servers' — and a call claimed by the client's first, then MCP's,
// then Keel's own, which refuse a tool nobody has; each call shows as its source's item; MCP tools
// are fixed when the turn's tools are (its first model call): a server ready later joins the next turn.
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import type { DynamicToolSpec, ThreadItem } from '../../src/core/protocol-types.js';
import { ThreadRuntime } from '../../src/engine/thread-runtime.js';
import { builtinToolSource } from '../../src/engine/turns/builtin-tool-source.js';
import { clientToolSource } from '../../src/engine/turns/client-tool-source.js';
import type { McpCallResult, McpSource, McpToolInfo } from '../../src/engine/turns/mcp-tools.js';
import { mcpToolSource } from '../../src/engine/turns/mcp-tool-source.js';
import { allToolSources, type ToolTurn } from '../../src/engine/turns/tool-source.js';
import { allowEverything } from '../../src/tools/gate.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import type { Tool, ToolContext } from '../../src/tools/tool.js';
import { turnToolState } from '../../src/tools/turn-state.js';
import { ev, settings } from '../core/fixtures.js';

/** One of Keel's own tools: reads, and says what it was given. */
const echo: Tool<{ text: string }> = {
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  readOnly: true,
  async run(input, ctx) {
    const item = { type: 'plan' as const, id: ctx.callId, text: input.text };
    ctx.report.start(item);
    return { item, output: input.text };
  },
};

/** MCP servers as the manager shows them: their tools once ready, their answers to calls. */
class Servers implements McpSource {
  readonly started: string[][] = [];
  readonly calls: Array<{ server: string; tool: string; args: Record<string, unknown> }> = [];
  constructor(public ready: McpToolInfo[]) {}
  ensureStarted(names: readonly string[]): void {
    this.started.push([...names]);
  }
  tools(names: readonly string[]): McpToolInfo[] {
    return this.ready.filter((tool) => names.includes(tool.server));
  }
  async call(server: string, tool: string, args: Record<string, unknown>): Promise<McpCallResult> {
    this.calls.push({ server, tool, args });
    return { content: [{ type: 'text', text: `${tool} done` }] };
  }
  configured(): string[] {
    return ['docs', 'late'];
  }
}

const mcpTool = (server: string, tool: string, readOnlyHint?: boolean): McpToolInfo => ({
  qualifiedName: `mcp__${server}__${tool}`,
  server,
  tool,
  description: `${tool} of ${server}`,
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  annotations: readOnlyHint === undefined ? null : { readOnlyHint },
});

function turnOf(dynamicTools: DynamicToolSpec[], mode?: 'plan', signal = new AbortController().signal): ToolTurn {
  const runtime = new ThreadRuntime(undefined, null);
  runtime.apply([ev('thread/created', 1000, { settings: { ...settings, dynamicTools }, origin: { ephemeral: false, cliVersion: '0.1.0', forkedFromId: null } })]);
  return { runtime, turnId: 'u1', mode, signal, clientRequestTimeoutMs: 5_000, now: () => 2000 };
}

/** Runs a call's plan as the turn would, keeping the items it reports. */
async function runPlan(plan: { execute(ctx: ToolContext): Promise<{ item: ThreadItem; output: string }> }, callId: string) {
  const started: ThreadItem[] = [];
  const report = { start: (item: ThreadItem) => void started.push(item), output: () => {}, plan: () => {}, diff: () => {}, intent: () => {} };
  const result = await plan.execute({ threadId: 't1', turnId: 'u1', callId, cwd: '/work', signal: new AbortController().signal, report, gate: allowEverything, turn: turnToolState(), env: {} });
  return { started, result };
}

describe("a turn's tools", () => {
  const lookup = { type: 'function' as const, name: 'lookup', description: 'Looks up a name.', inputSchema: { type: 'object', properties: { name: { type: 'string' } } } };

  it("offers Keel's own, then the client's, then MCP servers' (sorted), with Plan mode's question last of the client's", () => {
    const servers = new Servers([mcpTool('docs', 'search'), mcpTool('docs', 'fetch')]);
    const tools = allToolSources({ builtin: builtinToolSource(new ToolRegistry({ openai: [echo], anthropic: [], generic: [] })), client: clientToolSource, mcp: mcpToolSource(servers) });
    const listed = tools.forTurn(turnOf([lookup], 'plan')).list({ family: 'openai', freeform: false });
    expect(listed.map((definition) => definition.name)).toEqual(['echo', 'lookup', 'request_user_input', 'mcp__docs__fetch', 'mcp__docs__search']);
    expect(listed[0]).toEqual({
      name: 'echo',
      description: 'Echoes its text.',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    });
    expect(listed[1]).toEqual({ name: 'lookup', description: 'Looks up a name.', parameters: lookup.inputSchema });
    expect(listed[3]).toEqual({ name: 'mcp__docs__fetch', description: 'fetch of docs', parameters: { type: 'object', properties: { q: { type: 'string' } } } });
    expect(servers.started).toEqual([['docs', 'late']]);
  });

  it('fixes MCP tools for the turn: a server ready later joins at the next turn', () => {
    const servers = new Servers([mcpTool('docs', 'search')]);
    const source = allToolSources({ builtin: builtinToolSource(new ToolRegistry({ openai: [echo], anthropic: [], generic: [] })), client: clientToolSource, mcp: mcpToolSource(servers) });
    const first = source.forTurn(turnOf([]));
    servers.ready = [...servers.ready, mcpTool('late', 'ask')];
    expect(first.list({ family: 'openai', freeform: false }).map((definition) => definition.name)).toEqual(['echo', 'mcp__docs__search']);
    expect(first.resolve({ callId: 'c1', name: 'mcp__late__ask', arguments: '{}' }, 'openai').readOnly).toBe(false);
    const next = source.forTurn(turnOf([]));
    expect(next.list({ family: 'openai', freeform: false }).map((definition) => definition.name)).toEqual(['echo', 'mcp__docs__search', 'mcp__late__ask']);
  });

  it('runs a call as its source does: an MCP call as an mcpToolCall item, read-only only when its tool says so', async () => {
    const servers = new Servers([mcpTool('docs', 'search', true), mcpTool('docs', 'write')]);
    const tools = allToolSources({ builtin: builtinToolSource(new ToolRegistry({ openai: [echo], anthropic: [], generic: [] })), client: clientToolSource, mcp: mcpToolSource(servers) }).forTurn(turnOf([]));
    const search = tools.resolve({ callId: 'c1', name: 'mcp__docs__search', arguments: '{"q":"x"}' }, 'openai');
    expect([search.readOnly, tools.resolve({ callId: 'c2', name: 'mcp__docs__write', arguments: '{}' }, 'openai').readOnly]).toEqual([true, false]);
    const { started, result } = await runPlan(search, 'c1');
    const item = { type: 'mcpToolCall', id: 'c1', server: 'docs', tool: 'search', status: 'inProgress', arguments: { q: 'x' }, result: null, error: null, durationMs: null };
    expect(started).toEqual([item]);
    expect(result).toEqual({ item: { ...item, status: 'completed', result: { content: [{ type: 'text', text: 'search done' }] }, durationMs: expect.any(Number) }, output: 'search done' });
    expect(servers.calls).toEqual([{ server: 'docs', tool: 'search', args: { q: 'x' } }]);
  });

  it("runs Keel's own tools in the family of the model that made the call, and refuses a tool nobody has, naming the ones there are", async () => {
    const tools = allToolSources({ builtin: builtinToolSource(new ToolRegistry({ openai: [echo], anthropic: [], generic: [] })), client: clientToolSource, mcp: mcpToolSource(new Servers([])) }).forTurn(turnOf([lookup]));
    const echoed = tools.resolve({ callId: 'c1', name: 'echo', arguments: '{"text":"hi"}' }, 'openai');
    expect(echoed.readOnly).toBe(true);
    expect((await runPlan(echoed, 'c1')).result).toEqual({ item: { type: 'plan', id: 'c1', text: 'hi' }, output: 'hi' });
    const unknown = tools.resolve({ callId: 'c2', name: 'nope', arguments: '{}' }, 'openai');
    const reason = 'unknown tool: nope. The tools you have are: echo.';
    expect([unknown.readOnly, (await runPlan(unknown, 'c2')).result]).toEqual([
      false,
      {
        item: { type: 'dynamicToolCall', id: 'c2', tool: 'nope', arguments: {}, status: 'failed', contentItems: [{ type: 'inputText', text: reason }], success: false, durationMs: 0 },
        output: `Error: ${reason}`,
      },
    ]);
    // Another family's toolset has no echo: the call is refused there.
    expect((await runPlan(tools.resolve({ callId: 'c3', name: 'echo', arguments: '{"text":"hi"}' }, 'anthropic'), 'c3')).result.output).toBe('Error: unknown tool: echo. The tools you have are: .');
  });

  it("lets the client's tool of the same name as one of Keel's take the call (client first, as before)", async () => {
    // The turn has ended: the client is not asked, and the call shows as the client's item, failed unrun.
    const ended = new AbortController();
    ended.abort();
    const tools = allToolSources({ builtin: builtinToolSource(new ToolRegistry({ openai: [echo], anthropic: [], generic: [] })), client: clientToolSource, mcp: mcpToolSource(new Servers([])) }).forTurn(turnOf([{ ...lookup, name: 'echo' }], undefined, ended.signal));
    const plan = tools.resolve({ callId: 'c1', name: 'echo', arguments: '{"text":"hi"}' }, 'openai');
    const text = 'Error: echo did not run: the turn ended before the client answered';
    const item = { type: 'dynamicToolCall', id: 'c1', namespace: null, tool: 'echo', arguments: { text: 'hi' }, status: 'inProgress', contentItems: null, success: null, durationMs: null };
    expect([plan.readOnly, await runPlan(plan, 'c1')]).toEqual([
      false,
      { started: [item], result: { item: { ...item, status: 'failed', success: false, contentItems: [{ type: 'inputText', text }], durationMs: expect.any(Number) }, output: text } },
    ]);
  });
});
