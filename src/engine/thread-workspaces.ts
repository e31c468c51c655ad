// The editors that lend threads their files and terminal (an ACP client's capabilities,
// tools/workspace.ts): one per thread, the last editor to open the session, dropped when its
// connection ends. A turn asks here when it runs its tool calls, so it runs with the editor that
// hosts the thread at that moment; without one, Keel's own disk and processes.
import type { EditorWorkspace } from '../tools/workspace.js';

export class ThreadWorkspaces {
  private readonly lent = new Map<string, { owner: object; workspace: EditorWorkspace }>();

  /** `owner` hosts `threadId` now: its workspace, or none (an editor that lends nothing takes back what another lent). */
  lend(threadId: string, owner: object, workspace: EditorWorkspace | null): void {
    if (workspace === null) this.lent.delete(threadId);
    else this.lent.set(threadId, { owner, workspace });
  }

  /** `owner` no longer hosts `threadId` (its editor closed the session): what it lent the thread is gone, another editor's stays. */
  release(threadId: string, owner: object): void {
    if (this.lent.get(threadId)?.owner === owner) this.lent.delete(threadId);
  }

  /** The owner's connection ended: what it lent is gone. */
  leave(owner: object): void {
    for (const [threadId, entry] of this.lent) if (entry.owner === owner) this.lent.delete(threadId);
  }

  of(threadId: string): EditorWorkspace | undefined {
    return this.lent.get(threadId)?.workspace;
  }
}
