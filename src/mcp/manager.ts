// All configured MCP servers of one Keel process, shared by every thread. Servers start when
// first wanted (ensureStarted), in the background: a slow or broken server never blocks a caller,
// and only ready servers contribute tools.
import type { CallToolResult, ReadResourceResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { McpConnection, type McpCallOptions, type McpConnectionOptions } from './connection.js';
import { McpCallError } from './errors.js';
import { modelSchema, type JsonSchemaObject } from './schema.js';
import { sameConfig, type McpServerConfig } from './server-config.js';
import type { McpServerState, McpServerStatus } from './status.js';
import { qualifyToolNames, type McpToolRef } from './tool-names.js';

export interface McpLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface McpManagerOptions extends McpConnectionOptions {
  logger?: McpLogger;
  /** Every change of a server's state or error. */
  onStatus?: (name: string, state: McpServerState, error: string | null) => void;
  /** A ready server changed its tool list (notifications/tools/list_changed); tools() has the new one. */
  onToolsChanged?: (name: string) => void;
}

export interface McpToolInfo {
  /** `mcp__<server>__<tool>`, as the model calls it. */
  qualifiedName: string;
  server: string;
  tool: string;
  description: string;
  /** The tool's input schema in the form providers accept (see modelSchema). */
  inputSchema: JsonSchemaObject;
  annotations: ToolAnnotations | null;
}

interface Entry {
  connection: McpConnection;
  unsubscribe: () => void;
}

export class McpManager {
  private readonly entries = new Map<string, Entry>();
  /** ensureStarted() with no names: servers added by a reload start too. */
  private startAll = false;
  private readonly requested = new Set<string>();
  private shutDown = false;

  constructor(configs: readonly McpServerConfig[], private readonly options: McpManagerOptions = {}) {
    for (const config of configs) this.add(config);
  }

  /** Kicks off every named (default: every enabled) server not started yet; returns at once. */
  ensureStarted(names?: readonly string[]): void {
    if (this.shutDown) return;
    if (names === undefined) this.startAll = true;
    for (const name of names ?? this.entries.keys()) {
      this.requested.add(name);
      this.entries.get(name)?.connection.start();
    }
  }

  /** The tools of ready servers (all, or the named ones), with their qualified names. */
  tools(names?: readonly string[]): McpToolInfo[] {
    const ready = this.readyStatuses();
    const toolsByRef = new Map(ready.flatMap((s) => s.tools.map((tool) => [`${s.name}\0${tool.name}`, tool] as const)));
    const qualified = qualifyToolNames(ready.flatMap((s) => s.tools.map((tool) => ({ server: s.name, tool: tool.name }))));
    const wanted = names === undefined ? null : new Set(names);
    return [...qualified].flatMap(([qualifiedName, ref]) => {
      const tool = toolsByRef.get(`${ref.server}\0${ref.tool}`)!;
      if (wanted && !wanted.has(ref.server)) return [];
      const description = tool.description ?? tool.title ?? '';
      return [{ qualifiedName, ...ref, description, inputSchema: modelSchema(tool.inputSchema), annotations: tool.annotations ?? null }];
    });
  }

  /** The server and tool behind a qualified name offered by `tools()`, or null. */
  resolveTool(qualifiedName: string): McpToolRef | null {
    const ready = this.readyStatuses();
    const qualified = qualifyToolNames(ready.flatMap((s) => s.tools.map((tool) => ({ server: s.name, tool: tool.name }))));
    return qualified.get(qualifiedName) ?? null;
  }

  async call(server: string, tool: string, args: Record<string, unknown>, options?: McpCallOptions): Promise<CallToolResult> {
    return this.connection(server, tool).callTool(tool, args, options);
  }

  async readResource(server: string, uri: string, options?: McpCallOptions): Promise<ReadResourceResult> {
    return this.connection(server, `resource ${uri}`).readResource(uri, options);
  }

  /** Every configured server, in configuration order. */
  status(): McpServerStatus[] {
    return [...this.entries.values()].map((e) => e.connection.status());
  }

  waitForReady(name: string, timeoutMs: number): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.reject(new Error(`no MCP server named ${name}`));
    return entry.connection.waitForReady(timeoutMs);
  }

  /**
   * Applies a new configuration: removed or changed servers are stopped (resolves once their
   * processes are gone), changed ones restarted if they had been started, new ones started if
   * wanted; unchanged servers keep running untouched.
   */
  async reload(configs: readonly McpServerConfig[]): Promise<void> {
    if (this.shutDown) return;
    const next = new Map(configs.map((c) => [c.name, c]));
    const stops: Promise<void>[] = [];
    for (const [name, entry] of [...this.entries]) {
      const config = next.get(name);
      if (config && sameConfig(config, entry.connection.config)) continue;
      const wasStarted = entry.connection.status().state !== 'idle';
      this.entries.delete(name);
      // A removed server's listeners hear it stop; a changed one's hear only its replacement.
      if (config) entry.unsubscribe();
      const stopped = entry.connection.stop().finally(entry.unsubscribe);
      stops.push(stopped);
      if (!config) continue;
      const fresh = this.add(config);
      // The replacement starts once the old process is gone, so both never run at once.
      if (wasStarted) stops.push(stopped.then(() => this.entries.get(name)?.connection === fresh && !this.shutDown ? fresh.start() : undefined));
    }
    for (const config of configs) {
      if (this.entries.has(config.name)) continue;
      const fresh = this.add(config);
      if (this.startAll || this.requested.has(config.name)) fresh.start();
    }
    // status() lists servers in the new configuration's order.
    const ordered = configs.map((c) => [c.name, this.entries.get(c.name)!] as const);
    this.entries.clear();
    for (const [name, entry] of ordered) this.entries.set(name, entry);
    await Promise.all(stops);
  }

  /** Stops every server; resolves when every process is gone. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    await Promise.all([...this.entries.values()].map((e) => e.connection.stop()));
  }

  private readyStatuses(): McpServerStatus[] {
    return this.status().filter((s) => s.state === 'ready');
  }

  private connection(server: string, target: string): McpConnection {
    const entry = this.entries.get(server);
    if (!entry) throw new McpCallError('notReady', server, target, `no MCP server named ${server} is configured`);
    return entry.connection;
  }

  private add(config: McpServerConfig): McpConnection {
    const connection = new McpConnection(config, this.options);
    let last: { state: McpServerState; error: string | null } = { state: 'idle', error: null };
    const unsubscribe = connection.subscribe((s) => {
      if (s.state === last.state && s.error === last.error) {
        if (s.state === 'ready') this.options.onToolsChanged?.(s.name);
        return;
      }
      last = { state: s.state, error: s.error };
      if (s.state === 'ready') this.options.logger?.info(`MCP server ${s.name} ready (${s.tools.length} tools)`);
      if (s.state === 'failed') this.options.logger?.warn(s.error ?? `MCP server ${s.name} failed`);
      this.options.onStatus?.(s.name, s.state, s.error);
    });
    this.entries.set(config.name, { connection, unsubscribe });
    return connection;
  }
}
