// What thread/read must show for a thread state (the server's, or a client's fold of the wire),
// written out field by field from Codex's Thread and Turn — on purpose not through the server's
// own src/core/snapshot.ts: a test that checked thread/read against threadSnapshot(...) would pass
// whatever field that function dropped or miscomputed, since both sides would share the mistake.
import { toArray } from '../../src/core/plist.js';
import type { VisibleSettings } from '../../src/core/events.js';
import type { Thread, ThreadStatus, Turn } from '../../src/core/protocol-types.js';
import type { ThreadState, TurnState } from '../../src/core/state.js';

/** Epoch milliseconds as the wire's whole seconds. */
const wholeSeconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** A turn with every item (`itemsView: "full"`), as thread/read with includeTurns shows it. */
export function expectedTurn(turn: TurnState): Turn {
  return {
    id: turn.id,
    items: toArray(turn.items).map((entry) => entry.item),
    itemsView: 'full',
    status: turn.status,
    error: turn.error,
    startedAt: wholeSeconds(turn.startedAtMs),
    completedAt: wholeSeconds(turn.completedAtMs),
    durationMs: turn.startedAtMs !== null && turn.completedAtMs !== null ? turn.completedAtMs - turn.startedAtMs : null,
  };
}

/** The whole thread as `thread/read {includeTurns: true}` answers it, in the given status. */
export function expectedThread(state: ThreadState<VisibleSettings>, status: ThreadStatus): Thread {
  return {
    id: state.id,
    // Codex's session id; Keel has one session per thread.
    sessionId: state.id,
    name: state.name,
    preview: state.preview,
    ephemeral: state.origin.ephemeral,
    forkedFromId: state.origin.forkedFromId,
    cliVersion: state.origin.cliVersion,
    createdAt: Math.floor(state.createdAtMs / 1000),
    updatedAt: Math.floor(state.updatedAtMs / 1000),
    cwd: state.settings.cwd,
    model: state.settings.model,
    modelProvider: state.settings.modelProvider,
    reasoningEffort: state.settings.reasoningEffort,
    // Fields Keel does not track: always null, and the source is always the app server.
    projectId: null,
    source: 'appServer',
    path: null,
    gitInfo: null,
    status,
    turns: toArray(state.turns).map(expectedTurn),
  };
}
