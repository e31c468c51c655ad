// What an editor lends a session's tools, from the capabilities it gave at initialize: its files
// (`fs/read_text_file`: the model reads unsaved buffers; `fs/write_text_file`: edits the editor
// shows) and its terminal (`terminal/*`: commands run where the user watches, acp-terminal.ts).
// Keel's own disk and processes do whatever the editor does not offer (tools/workspace.ts).
import type { ReadTextFileResponse } from '@agentclientprotocol/sdk';
import type { EditorFiles, EditorWorkspace } from '../../tools/workspace.js';
import type { AcpSession } from './acp-session.js';
import { editorTerminal, type EditorRequest } from './acp-terminal.js';

/** The session's workspace in its editor; null when the editor lends nothing. */
export function acpWorkspace(session: AcpSession, sessionId: string): EditorWorkspace | null {
  const { fs, terminal } = session.clientCapabilities;
  const request: EditorRequest = (method, params) => session.request(method, params);
  const files: EditorFiles = {
    ...(fs?.readTextFile === true && {
      read: async (path: string, signal: AbortSignal) => (await abortable(request<ReadTextFileResponse>('fs/read_text_file', { sessionId, path }), signal)).content,
    }),
    ...(fs?.writeTextFile === true && {
      write: async (path: string, content: string, signal: AbortSignal) => void (await abortable(request('fs/write_text_file', { sessionId, path, content }), signal)),
    }),
  };
  const lendsFiles = files.read !== undefined || files.write !== undefined;
  if (!lendsFiles && terminal !== true) return null;
  return {
    ...(lendsFiles && { files }),
    ...(terminal === true && {
      terminal: ({ turnId, itemId }: { turnId: string; itemId: string }) => editorTerminal(request, sessionId, (terminalId) => session.showTerminal(sessionId, turnId, itemId, terminalId)),
    }),
  };
}

/** An editor's answer, or the turn's abort: a turn interrupted does not wait on it. */
function abortable<T>(answer: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
