// MCP servers as clients see them (Codex v2): their status and inventory, direct tool calls and
// resource reads, start-up status notifications, and OAuth login (not supported by Keel).
import * as z from 'zod';
import { emptyObject, JsonValue } from './common.js';

export const McpServerConnectionStatus = z.enum(['notStarted', 'starting', 'connected', 'authenticationRequired', 'failed', 'cancelled', 'disabled']);
export const McpAuthStatus = z.enum(['unknown', 'unsupported', 'notLoggedIn', 'bearerToken', 'oAuth']);

export const McpTool = z.object({
  name: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  inputSchema: JsonValue,
  outputSchema: JsonValue.optional(),
  annotations: JsonValue.optional(),
});

export const McpResource = z.object({
  name: z.string(),
  uri: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  mimeType: z.string().nullish(),
});

export const McpServerInfo = z.object({ name: z.string(), version: z.string(), title: z.string().nullish() });

export const McpServerStatus = z.object({
  name: z.string(),
  authStatus: McpAuthStatus,
  tools: z.record(z.string(), McpTool).describe('The tools the model is offered, by the tool\'s own name (after enabled_tools / disabled_tools).'),
  resources: z.array(McpResource),
  resourceTemplates: z.array(JsonValue),
  runtimeStatus: McpServerConnectionStatus.nullable(),
  serverInfo: McpServerInfo.nullable(),
  toolsError: z.string().nullable().describe('Why the server has no tools now: its start-up or last failure.'),
  httpOrigin: z.string().nullable(),
});

export const McpServerStatusDetail = z.enum(['full', 'toolsAndAuthOnly']);

export const ListMcpServerStatusParams = z.object({
  cursor: z.string().nullish(),
  limit: z.number().int().nonnegative().nullish(),
  detail: McpServerStatusDetail.nullish(),
  threadId: z.string().nullish(),
  serverName: z.string().nullish(),
  environmentId: z.string().nullish().describe('Codex 0.171: an MCP registration\'s environment. Keel registers every server thread-wide; a non-null value names no registration Keel has.'),
});
export const ListMcpServerStatusResponse = z.object({ data: z.array(McpServerStatus), nextCursor: z.string().nullable() });

export const McpServerRefreshParams = emptyObject();
export const McpServerRefreshResponse = emptyObject();

export const McpServerStartupState = z.enum(['starting', 'ready', 'failed', 'cancelled']);
export const McpServerStatusUpdatedNotification = z.object({
  threadId: z.string().nullable(),
  name: z.string(),
  status: McpServerStartupState,
  error: z.string().nullable(),
  failureReason: z.enum(['reauthenticationRequired']).nullable(),
});

export const McpServerToolCallParams = z.object({
  threadId: z.string(),
  server: z.string(),
  tool: z.string(),
  arguments: JsonValue.optional(),
  _meta: JsonValue.optional(),
  environmentId: z.string().nullish().describe('Codex 0.171: an MCP registration\'s environment. Keel registers every server thread-wide; a non-null value names no registration Keel has.'),
});
export const McpServerToolCallResponse = z.object({
  content: z.array(JsonValue),
  structuredContent: JsonValue.optional(),
  isError: z.boolean().nullish(),
  _meta: JsonValue.optional(),
});

export const McpResourceReadParams = z.object({
  server: z.string(),
  uri: z.string(),
  threadId: z.string().nullish(),
  originCallId: z.string().nullish(),
  environmentId: z.string().nullish().describe('Codex 0.171: an MCP registration\'s environment. Keel registers every server thread-wide; a non-null value names no registration Keel has.'),
});
export const ResourceContent = z.union([
  z.object({ uri: z.string(), mimeType: z.string().nullish(), text: z.string() }),
  z.object({ uri: z.string(), mimeType: z.string().nullish(), blob: z.string() }),
]);
export const McpResourceReadResponse = z.object({ contents: z.array(ResourceContent), originCallId: z.string().nullable() });

export const McpServerOauthLoginParams = z.object({
  name: z.string(),
  threadId: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  timeoutSecs: z.number().int().nullish(),
  environmentId: z.string().nullish().describe('Codex 0.171: an MCP registration\'s environment. Keel registers every server thread-wide; a non-null value names no registration Keel has.'),
});
export const McpServerOauthLoginResponse = z.object({ authorizationUrl: z.string(), loginId: z.string().optional() });
