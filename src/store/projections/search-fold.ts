// What the full-text index keeps of a thread's events: one document per searchable item — a user
// message's text, an agent message's text, a command line, the paths a file change touched — kept
// in the order the items were completed. The SQLite projection (search-projection.ts), the
// migration that indexes older stores (search-backfill.ts) and the memory store all take their
// documents from here, so the three index the same text.
import type { KeelEvent } from '../../core/events.js';
import type { ThreadItem } from '../../core/protocol-types.js';

export type SearchDocKind = 'user' | 'agent' | 'command' | 'files';

export interface SearchDoc {
  turnId: string;
  itemId: string;
  kind: SearchDocKind;
  text: string;
}

/** The document of an item, or null for an item that holds nothing searched. */
export function docOfItem(turnId: string, item: ThreadItem): SearchDoc | null {
  switch (item.type) {
    case 'userMessage':
      return { turnId, itemId: item.id, kind: 'user', text: item.content.map((part) => (part.type === 'text' ? part.text : '')).filter((text) => text !== '').join('\n') };
    case 'agentMessage':
      return { turnId, itemId: item.id, kind: 'agent', text: item.text };
    case 'commandExecution':
      return { turnId, itemId: item.id, kind: 'command', text: item.command };
    case 'fileChange':
      return { turnId, itemId: item.id, kind: 'files', text: item.changes.map((change) => change.path).join('\n') };
    default:
      return null;
  }
}

/** What one appended event does to the thread's documents. */
export type SearchChange =
  | { type: 'put'; doc: SearchDoc }
  /** Drops the documents of `turnId` and of every turn after it (a revert). */
  | { type: 'dropFrom'; turnId: string };

export function searchChanges(event: KeelEvent): SearchChange[] {
  switch (event.type) {
    case 'thread/created': {
      const changes: SearchChange[] = [];
      for (const turn of event.turns ?? []) {
        for (const entry of turn.items) {
          const doc = docOfItem(turn.id, entry.item);
          if (doc !== null) changes.push({ type: 'put', doc });
        }
      }
      return changes;
    }
    case 'item/completed': {
      const doc = docOfItem(event.turnId, event.item);
      return doc === null ? [] : [{ type: 'put', doc }];
    }
    case 'thread/reverted':
      return [{ type: 'dropFrom', turnId: event.beforeTurnId }];
    default:
      return [];
  }
}

/** Whether the event gives the thread a turn (thread/list lists only threads that had one, as Codex). */
export function givesTurn(event: KeelEvent): boolean {
  return event.type === 'turn/started' || (event.type === 'thread/created' && (event.turns?.length ?? 0) > 0);
}

/** Applies `changes` to documents kept in order by item id (a store that keeps them in memory, the backfill). */
export function applySearchChanges(docs: Map<string, SearchDoc>, changes: readonly SearchChange[]): void {
  for (const change of changes) {
    if (change.type === 'put') {
      docs.set(change.doc.itemId, change.doc); // an item completed again keeps its place
      continue;
    }
    let dropping = false;
    for (const [itemId, doc] of docs) {
      dropping ||= doc.turnId === change.turnId;
      if (dropping) docs.delete(itemId);
    }
  }
}
