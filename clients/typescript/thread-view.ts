// A folded thread as the wire Thread object (turns and items included), built by the same
// snapshot functions thread/read uses, so a UI can show it or compare it with the server's.
import type { ClientSettings } from '../../src/core/events.js';
import type { Thread, ThreadStatus } from '../../generated/protocol.js';
import { allTurns, liveStatus, threadSnapshot } from '../../src/core/snapshot.js';
import type { ThreadState } from '../../src/core/state.js';
import { summaryOf } from '../../src/core/summary.js';

/** `status` defaults to what the folded turns show (no approval flags: see KeelClient.wireThread). */
export function toWireThread(thread: ThreadState<ClientSettings>, status: ThreadStatus = liveStatus(thread)): Thread {
  return threadSnapshot(summaryOf(thread), { status, turns: allTurns(thread) });
}
