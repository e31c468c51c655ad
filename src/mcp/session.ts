// One connection attempt to a server: the SDK client over its transport, and what the server
// offered at initialize. A restart is a new session; a session never reconnects.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Implementation, Resource, ServerCapabilities, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ProcessStdioTransport } from './process-stdio-transport.js';
import { toolAllowed, type McpServerConfig } from './server-config.js';

export interface Session {
  client: Client;
  transport: Transport;
  /** The child process, for stdio servers. */
  stdio: ProcessStdioTransport | null;
  /** Set when Keel closes it on purpose, so the close is not taken for a crash. */
  closing: boolean;
  /** Set when it ended on its own (the process died) while ready. */
  crashed: boolean;
}

export interface ServerOffer {
  serverInfo: Implementation | null;
  capabilities: ServerCapabilities | null;
  tools: Tool[];
  resources: Resource[];
}

/** How Keel introduces itself at initialize (the embedder passes its version). */
export interface ClientInfo {
  name: string;
  version: string;
}

export function openSession(config: McpServerConfig, clientInfo: ClientInfo, killGraceMs: number): Session {
  const client = new Client(clientInfo, { capabilities: {} });
  const t = config.transport;
  if (t.type === 'stdio') {
    const stdio = new ProcessStdioTransport(t, killGraceMs);
    return { client, transport: stdio, stdio, closing: false, crashed: false };
  }
  const headers: Record<string, string> = { ...t.httpHeaders };
  if (t.bearerTokenEnvVar !== null) {
    const token = process.env[t.bearerTokenEnvVar];
    if (!token) throw new Error(`environment variable ${t.bearerTokenEnvVar} (its bearer token) is not set`);
    headers.Authorization = `Bearer ${token}`;
  }
  const transport = new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers } });
  return { client, transport, stdio: null, closing: false, crashed: false };
}

/** Connects (spawning a stdio server) and lists what it offers; the caller bounds it in time. */
export async function initializeSession(session: Session, config: McpServerConfig): Promise<ServerOffer> {
  await session.client.connect(session.transport);
  const capabilities = session.client.getServerCapabilities() ?? null;
  const tools = capabilities?.tools ? await listTools(session.client, config) : [];
  const resources = capabilities?.resources ? await listResources(session.client) : [];
  return { serverInfo: session.client.getServerVersion() ?? null, capabilities, tools, resources };
}

/** Every page of the server's tools, filtered by the config's enabled/disabled lists. */
export async function listTools(client: Client, config: McpServerConfig): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...page.tools.filter((tool) => toolAllowed(config, tool.name)));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

export async function listResources(client: Client): Promise<Resource[]> {
  const resources: Resource[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor === undefined ? undefined : { cursor });
    resources.push(...page.resources);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return resources;
}

/** Ends the session; for stdio, resolves once the server's process group is gone. */
export async function closeSession(session: Session): Promise<void> {
  session.closing = true;
  try {
    await session.client.close();
  } catch {
    // Closing a transport that never started, or a process already gone.
  }
  if (session.stdio) await session.stdio.close();
}

/** An error from connecting, in words; HTTP errors name their status (401 means the token). */
export function describeSessionError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof StreamableHTTPError && error.code !== undefined ? `HTTP ${error.code}: ${message}` : message;
}
