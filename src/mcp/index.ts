// Keel's MCP client library: configured servers, their tools under model-facing names, calls.
export { McpManager, type McpLogger, type McpManagerOptions, type McpToolInfo } from './manager.js';
export { McpConnection, type McpCallOptions, type McpConnectionOptions } from './connection.js';
export { McpCallError, type McpCallErrorKind } from './errors.js';
export type { McpServerState, McpServerStatus } from './status.js';
export {
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_TOOL_TIMEOUT_MS,
  sameConfig,
  toolAllowed,
  type McpServerConfig,
  type McpTransportConfig,
} from './server-config.js';
export { MAX_TOOL_NAME_LENGTH, qualifiedToolName, qualifyToolNames, sanitizeNamePart, type McpToolRef } from './tool-names.js';
export { modelSchema, type JsonSchemaObject } from './schema.js';
export { DEFAULT_RESTART_BACKOFF, type RestartBackoffOptions } from './restart-backoff.js';
export type { ClientInfo } from './session.js';
export type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
