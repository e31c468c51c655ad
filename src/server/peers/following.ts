// After a forwarded request that subscribes its caller on the owner (a turn it starts, a resume),
// the client hears the thread by following it here, from the thread's log: the owner's
// notifications on the peer connection are not relayed. The one place the server asks the thread
// commands to follow a thread for a client (ThreadCommands.follow and storedSeq).
import type { Subscriber } from '../../engine/subscriber.js';
import type { ThreadRegistry } from '../../engine/thread-registry.js';
import type { Log } from '../../log.js';

/** What following needs of ThreadCommands. */
export interface Following {
  /** The thread's last stored seq. */
  storedSeq(threadId: string): Promise<number> | number;
  /** Subscribes `caller` to the thread here, hearing every event after `afterSeq` (null: from now on). */
  follow(threadId: string, caller: Subscriber, afterSeq: number | null): Promise<unknown> | unknown;
}

/** The requests after which the owner has subscribed the caller, so the client must hear the thread here. */
const SUBSCRIBING = new Set(['turn/start', 'review/start', 'thread/shellCommand', 'thread/compact/start', 'thread/resume']);

/**
 * Reads the stored seq before `method` is forwarded (when it subscribes), and returns what to run
 * once its answer is out: following the thread from there, so the client hears every event from
 * the forwarded request on — none before its answer, none missed.
 */
export async function beforeForwarding(
  keel: { threads: Following; registry: ThreadRegistry } | undefined,
  { method, params, threadId, caller, logger }: { method: string; params: unknown; threadId: string; caller: Subscriber; logger: Log },
): Promise<(() => void) | null> {
  const following = keel?.threads;
  if (following === undefined || !SUBSCRIBING.has(method)) return null;
  // Already hearing the thread here (it resumed it, or an earlier forwarded turn): it misses nothing, and must hear nothing twice.
  if (keel!.registry.subscribedBy(caller).includes(threadId)) return null;
  const seqBefore = await following.storedSeq(threadId);
  // A resume that names afterSeq asked for what it missed since: the owner's catch-up went to the peer session.
  const afterSeq = (params as { afterSeq?: unknown } | null)?.afterSeq;
  const from = method === 'thread/resume' && typeof afterSeq === 'number' ? afterSeq : seqBefore;
  return () => {
    Promise.resolve()
      .then(() => following.follow(threadId, caller, from))
      .catch((error: unknown) => logger.error({ err: error, threadId, method }, 'could not follow a thread after forwarding a request to its owner'));
  };
}
