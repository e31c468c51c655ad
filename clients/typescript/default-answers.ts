// What the client answers a server request nobody handles: the safe choice for each kind, so an
// unattended client never lets a command run or invents a user's answers.
import type { ServerRequests } from '../../generated/methods.js';
import { KeelRpcError, METHOD_NOT_FOUND } from './rpc-error.js';

type Defaults = { [M in keyof ServerRequests]: (params: ServerRequests[M]['params']) => ServerRequests[M]['result'] };

export const defaultAnswers: Defaults = {
  'item/commandExecution/requestApproval': () => ({ decision: 'decline' }),
  'item/fileChange/requestApproval': () => ({ decision: 'decline' }),
  'item/tool/requestUserInput': () => ({ answers: {} }),
  'mcpServer/elicitation/request': () => ({ action: 'decline', content: null, _meta: null }),
  'item/tool/call': (params) => ({ contentItems: [{ type: 'inputText', text: `this client does not run tool ${params.tool}` }], success: false }),
};

/** The default answer to `method`; a method the client does not know is "method not found". */
export function defaultAnswer(method: string, params: unknown): unknown {
  const answer = (defaultAnswers as Record<string, ((params: unknown) => unknown) | undefined>)[method];
  if (answer === undefined) throw new KeelRpcError(METHOD_NOT_FOUND, `client does not handle ${method}`);
  return answer(params);
}
