// How thread handlers shape their answers: Thread objects with the live status, the fields the
// session-opening responses share, page limits.
import { liveStatus, threadSnapshot } from '../../../core/snapshot.js';
import type { ThreadState } from '../../../core/state.js';
import { summaryOf, type ThreadSummary } from '../../../core/summary.js';
import type { AskForApproval, Thread, ThreadStatus, Turn } from '../../../core/protocol-types.js';
import type { ThreadRegistry } from '../../../engine/thread-registry.js';
import { DomainErrors } from '../../../kernel/errors.js';

/** What a Thread object's status is read from: the threads loaded here, or followed here from another process. */
export type LiveThreads = Pick<ThreadRegistry, 'liveState'>;

export function statusOf(registry: LiveThreads, threadId: string): ThreadStatus {
  const state = registry.liveState(threadId);
  return state ? liveStatus(state) : { type: 'notLoaded' };
}

export function threadObject(registry: LiveThreads, source: ThreadState | ThreadSummary, turns: Turn[] = []): Thread {
  const summary = 'settings' in source ? summaryOf(source) : source;
  const gitInfo = 'settings' in source ? (source.gitInfo ?? null) : null;
  return threadSnapshot(summary, { status: statusOf(registry, summary.id), turns, gitInfo });
}

/** The fields thread/start, thread/resume and thread/fork responses share. */
export function sessionFields(state: ThreadState, thread: Thread) {
  const { settings } = state;
  return {
    thread,
    model: settings.model,
    modelProvider: settings.modelProvider,
    serviceTier: settings.serviceTier ?? null,
    disabledPluginIds: [],
    cwd: settings.cwd,
    instructionSources: [],
    approvalPolicy: wireApprovalPolicy(settings.approvalPolicy),
    approvalsReviewer: 'user' as const,
    sandbox: settings.sandbox,
    reasoningEffort: settings.reasoningEffort,
  };
}

/** The column a thread list or search sorts by: `recency_at` is the last update, as `updated_at`. */
export function sortColumnOf(sortKey: string | null | undefined): 'created_at' | 'updated_at' {
  return sortKey === 'updated_at' || sortKey === 'recency_at' ? 'updated_at' : 'created_at';
}

/** thread/list and thread/search refuse `currentAccountOnly: true`, naming the field: Keel has no account history. */
export function refuseCurrentAccountOnly(currentAccountOnly: boolean | undefined): void {
  if (currentAccountOnly === true) throw DomainErrors.invalid('Keel has no ChatGPT account history: only false is supported', 'currentAccountOnly');
}

export function pageLimit(limit: number | null | undefined, fallback: number, max: number): number {
  if (limit === null || limit === undefined || limit === 0) return fallback;
  return Math.min(limit, max);
}

/**
 * The policy as Codex's schema can say it: `on-failure` (which Keel runs as asked) is not in it
 * any more, and the nearest policy that is, `on-request`, stands for it in responses.
 */
export function wireApprovalPolicy(policy: AskForApproval): AskForApproval {
  return policy === 'on-failure' ? 'on-request' : policy;
}
