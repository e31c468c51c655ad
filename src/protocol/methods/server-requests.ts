// What Keel asks the client while a turn runs (server → client requests), the notification that
// follows each answer, and start-up warnings about the environment.
import { serverNotification, serverRequest } from '../method-spec.js';
import * as S from '../schemas/server-requests.js';

export const serverRequestMethods = {
  'item/commandExecution/requestApproval': serverRequest({
    typeName: 'CommandExecutionRequestApproval',
    stability: 'stable',
    summary: 'Asks the client to approve a command (its commandExecution item has started); the decision says run, remember, add a prefix rule, decline or cancel the turn.',
    // Experimental in Codex's schema; sent to every client as Codex's server does (a stable client ignores it).
    experimentalFields: ['availableDecisions'],
    params: S.CommandExecutionRequestApprovalParams,
    result: S.CommandExecutionRequestApprovalResponse,
  }),
  'item/fileChange/requestApproval': serverRequest({
    typeName: 'FileChangeRequestApproval',
    stability: 'stable',
    summary: 'Asks the client to approve a file change (its fileChange item has started, with every path and diff).',
    params: S.FileChangeRequestApprovalParams,
    result: S.FileChangeRequestApprovalResponse,
  }),
  'item/tool/call': serverRequest({
    typeName: 'DynamicToolCall',
    stability: 'experimental',
    summary: 'Runs a client-side tool (`thread/start.dynamicTools`) the model called; its content goes back to the model.',
    params: S.DynamicToolCallParams,
    result: S.DynamicToolCallResponse,
  }),
  'item/tool/requestUserInput': serverRequest({
    typeName: 'ToolRequestUserInput',
    stability: 'experimental',
    summary: "Puts the model's questions (`request_user_input`) to the user; the answers go back to the model.",
    params: S.ToolRequestUserInputParams,
    result: S.ToolRequestUserInputResponse,
  }),
  'mcpServer/elicitation/request': serverRequest({
    typeName: 'McpServerElicitationRequest',
    stability: 'stable',
    summary: 'Asks the user about an MCP tool call: Keel asks approval of a call this way (`approval_mode = "prompt"`, or `untrusted`), a form with no fields; accept runs it.',
    params: S.McpServerElicitationRequestParams,
    result: S.McpServerElicitationRequestResponse,
  }),
  'serverRequest/resolved': serverNotification({
    typeName: 'ServerRequestResolved',
    stability: 'stable',
    summary: 'A server request of the thread is settled: answered, timed out, or ended with its turn. A client closes its prompt.',
    params: S.ServerRequestResolvedNotification,
  }),
  configWarning: serverNotification({
    typeName: 'ConfigWarning',
    stability: 'stable',
    summary: 'Something in the configuration or the machine keeps a feature from working as configured (e.g. no usable bubblewrap for the sandbox), with what to do.',
    params: S.ConfigWarningNotification,
  }),
} as const;
