// The process table of clients' commands: by owner (an opaque key: a connection, for the Codex
// server) and the owner's processId for the controls, and all of them for shutdown. An id is
// claimed before its command starts, so a control sent right behind the start waits for it
// instead of missing it.
import type { ExecProcess } from '../../tools/exec/index.js';
import { CommandRefused } from './command-refusal.js';

/** Whoever started a command: only it reaches the command by its processId. Compared by identity. */
export type CommandOwner = object;

interface Running {
  /** Resolves once the command runs; rejects when it could not start. */
  started: Promise<ExecProcess>;
  stdin: boolean;
}

export class CommandProcesses {
  private readonly byOwner = new Map<CommandOwner, Map<string, Running>>();
  private readonly all = new Set<ExecProcess>();

  /**
   * Claims `processId` for the owner's command that `started` announces, until the returned
   * release runs; refuses an id in use.
   */
  claim(owner: CommandOwner, processId: string, stdin: boolean, started: Promise<ExecProcess>): () => void {
    const ids = this.byOwner.get(owner) ?? new Map<string, Running>();
    if (ids.has(processId)) throw new CommandRefused({ kind: 'processIdInUse', processId });
    ids.set(processId, { started, stdin });
    this.byOwner.set(owner, ids);
    return () => {
      ids.delete(processId);
      if (ids.size === 0) this.byOwner.delete(owner);
    };
  }

  track(process: ExecProcess): void {
    this.all.add(process);
    void process.done.then(() => this.all.delete(process));
  }

  /** The owner's running command by processId, once it has started. */
  async find(owner: CommandOwner, processId: string): Promise<{ process: ExecProcess; stdin: boolean }> {
    const entry = this.byOwner.get(owner)?.get(processId);
    const process = await entry?.started.catch(() => null);
    if (entry === undefined || process === null || process === undefined) throw new CommandRefused({ kind: 'unknownProcess', processId });
    return { process, stdin: entry.stdin };
  }

  /** Ends every process (each whole group) and resolves once all have ended. */
  async terminateAll(): Promise<void> {
    const all = [...this.all];
    for (const process of all) process.terminate();
    await Promise.all(all.map((process) => process.done));
  }
}
