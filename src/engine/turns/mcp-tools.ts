// MCP servers' tools in a turn: the tools of the thread's ready servers are offered under Codex's
// qualified names (`mcp__server__tool`) with their schemas made acceptable to the provider; a
// call is an `mcpToolCall` item — started, then completed with the server's content or failed
// with a clear error (timeout, crash, refusal) — and its text goes back to the model, its images
// after it (tools/replay.ts).
import type { ThreadSettings } from '../../core/events.js';
import type { JsonValue, ThreadItem } from '../../core/protocol-types.js';
import type { ToolDefinition } from '../../providers/types.js';
import type { ToolCall, ToolContext, ToolResult } from '../../tools/tool.js';
import { argumentsOf } from './client-tools.js';

/** One tool of a ready server, as the MCP manager lists it. */
export interface McpToolInfo {
  qualifiedName: string;
  server: string;
  tool: string;
  description: string;
  /** Already made acceptable to model providers (type object, properties). */
  inputSchema: Record<string, unknown>;
  /** The tool's MCP annotations; `readOnlyHint`: under `untrusted` such a tool is not asked for. */
  annotations: { readOnlyHint?: boolean } | null;
}

export interface McpCallResult {
  content: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** What a turn needs of the MCP manager. */
export interface McpSource {
  /** Starts the named servers in the background (never waits for them). */
  ensureStarted(names: readonly string[]): void;
  /** The tools of the named servers that are ready now. */
  tools(names: readonly string[]): McpToolInfo[];
  call(server: string, tool: string, args: Record<string, unknown>, options: { signal?: AbortSignal }): Promise<McpCallResult>;
  /** The configured (enabled) server names. */
  configured(): string[];
}

/**
 * The servers a thread uses: all configured ones, unless its `config.mcp_servers` (thread/start's
 * `config` overrides) names a set — then those of them that are configured, none for an empty set.
 * Names it gives that are not configured are returned as `unknown`, for a warning.
 */
export function threadMcpServers(settings: Pick<ThreadSettings, 'config'>, configured: readonly string[]): { names: string[]; unknown: string[] } {
  const chosen = settings.config?.mcp_servers;
  if (chosen === undefined || chosen === null || typeof chosen !== 'object' || Array.isArray(chosen)) return { names: [...configured], unknown: [] };
  const named = Object.keys(chosen);
  return { names: named.filter((name) => configured.includes(name)), unknown: named.filter((name) => !configured.includes(name)) };
}

/**
 * Sorted by qualified name, so the list (part of every request's cached prefix) is the same
 * whatever order servers list their tools or become ready in; a server ready later adds its tools
 * among the others, which keep their order.
 */
export function mcpToolDefinitions(tools: readonly McpToolInfo[]): ToolDefinition[] {
  return [...tools].sort((a, b) => (a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : 0)).map((tool) => ({ name: tool.qualifiedName, description: tool.description || `${tool.tool} (MCP server ${tool.server})`, parameters: tool.inputSchema }));
}

type McpItem = Extract<ThreadItem, { type: 'mcpToolCall' }>;

/** How a model's call to an MCP tool runs, or null when the call is not one. */
export function mcpToolFor(call: ToolCall, tools: readonly McpToolInfo[], source: McpSource): ((ctx: ToolContext) => Promise<ToolResult>) | null {
  const info = tools.find((tool) => tool.qualifiedName === call.name);
  return info ? (ctx) => runMcpTool(call, info, ctx, source) : null;
}

/** The call's arguments when they are a JSON object (what an MCP tool takes), else null. */
function objectArguments(call: ToolCall, inputSchema: unknown): Record<string, unknown> | null {
  const value = argumentsOf(call, inputSchema);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** What the model reads of a result: its text parts; images and resources are named (images follow as images). */
export function mcpResultText(content: readonly unknown[]): string {
  return content
    .map((part) => {
      const p = part as { type?: string; text?: string; mimeType?: string; resource?: { uri?: string; text?: string } };
      if (p.type === 'text') return p.text ?? '';
      if (p.type === 'image') return `[image ${p.mimeType ?? ''}]`.replace(' ]', ']');
      if (p.type === 'audio') return '[audio]';
      if (p.type === 'resource') return p.resource?.text ?? `[resource ${p.resource?.uri ?? ''}]`;
      if (p.type === 'resource_link') return `[resource ${(p as { uri?: string }).uri ?? ''}]`;
      return JSON.stringify(part);
    })
    .join('\n');
}

async function runMcpTool(call: ToolCall, info: McpToolInfo, ctx: ToolContext, source: McpSource): Promise<ToolResult> {
  const args = objectArguments(call, info.inputSchema);
  const item: McpItem = {
    type: 'mcpToolCall',
    id: call.callId,
    server: info.server,
    tool: info.tool,
    status: 'inProgress',
    arguments: (args ?? call.arguments) as JsonValue,
    result: null,
    error: null,
    durationMs: null,
  };
  ctx.report.start(item);
  const started = performance.now();
  const failed = (message: string): ToolResult => ({
    item: { ...item, status: 'failed', error: { message }, durationMs: Math.round(performance.now() - started) },
    output: `Error: ${message}`,
  });
  if (args === null) return failed(`the arguments of ${call.name} are not a JSON object; call it again with one`);
  const decision = await ctx.gate.check(
    { kind: 'mcp', itemId: call.callId, server: info.server, tool: info.tool, arguments: args, readOnly: info.annotations?.readOnlyHint === true, cwd: ctx.cwd, announce: () => {} },
    ctx.signal,
  );
  if (!decision.allowed) return failed(`the call was not made: ${decision.reason}`);
  try {
    const result = await source.call(info.server, info.tool, args, { signal: ctx.signal });
    const text = mcpResultText(result.content);
    const durationMs = Math.round(performance.now() - started);
    const stored = { content: result.content as JsonValue[], ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent as JsonValue }) };
    if (result.isError) return { item: { ...item, status: 'failed', result: stored, error: { message: text || 'the tool reported an error' }, durationMs }, output: `Error: ${text}` };
    return { item: { ...item, status: 'completed', result: stored, durationMs }, output: text };
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
