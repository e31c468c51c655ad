// The client commands (`keel exec`, `keel threads`, `keel show`), loaded only when one is run.
import type { ClientCommand } from '../client-command-line.js';
import { runExec } from './run-exec.js';
import { runShow, runThreads } from './run-threads.js';

export function runClientCommand(command: ClientCommand): Promise<number> {
  switch (command.command) {
    case 'exec':
      return runExec(command.options);
    case 'threads':
      return runThreads(command.config, command.limit, command.json);
    case 'show':
      return runShow(command.config, command.threadId, command.json);
  }
}
