// A connection's ACP session: the engine's subscriber on the ACP side. It encodes the events of
// the threads (ACP sessions) it hears as `session/update`s (acp-updates.ts), asks the engine's
// questions as `session/request_permission` (acp-questions.ts) — the model's as `elicitation/create`
// when the editor offers forms (acp-elicitation.ts) — and lets a `session/prompt` wait
// for the end of the turn it started.
import type { RequestPermissionResponse, SessionNotification, SessionUpdate } from '@agentclientprotocol/sdk';
import type { KeelEvent } from '../../core/events.js';
import type { TurnError } from '../../core/protocol-types.js';
import type { ThreadState } from '../../core/state.js';
import type { AnswerOf, AskedQuestion, QuestionKind, QuestionOf } from '../../engine/questions.js';
import type { Signal } from '../../engine/signals.js';
import type { Subscriber } from '../../engine/subscriber.js';
import { ConnectionGone } from '../../transport/rpc-connection.js';
import type { Outbound } from '../session.js';
import { SessionChoices } from './acp-choices.js';
import { answerOf, permissionRequest, unanswerable } from './acp-questions.js';
import { userInputAnswer, userInputElicitation } from './acp-elicitation.js';
import type { AcpClientCapabilities } from './acp-params.js';
import { terminalContent, ToolCallMemory, updatesFor } from './acp-updates.js';

export interface TurnEnd {
  status: 'completed' | 'interrupted' | 'failed';
  error: TurnError | null;
}

export class AcpSession implements Subscriber {
  initialized = false;
  /** What the editor lends, as it said at initialize (acp-workspace.ts). */
  clientCapabilities: AcpClientCapabilities = {};
  /** The threads this connection hears (its ACP sessions). */
  readonly sessions = new Set<string>();
  /** Modes and models chosen for the next prompt of each session (acp-choices.ts). */
  readonly choices = new SessionChoices();
  /** Who waits for each turn's end: its prompt, and a session/close that cancelled it. */
  private readonly turnEnds = new Map<string, Array<(end: TurnEnd) => void>>();
  /** Waiting for the next turn a thread starts (a compaction's: its id is the engine's own). */
  private readonly nextTurnEnds = new Map<string, (end: TurnEnd) => void>();
  private replaying: string | null = null;
  /** The open tool calls of the threads heard (a command's output so far, the item a question is about). */
  private readonly calls = new ToolCallMemory();

  constructor(private readonly outbound: Outbound) {}

  receive(event: KeelEvent, _before: ThreadState | undefined, after: ThreadState | undefined): void {
    const compaction = this.clientCapabilities.session?.compaction != null;
    for (const update of updatesFor(event, { withUserMessages: this.replaying === event.threadId, calls: this.calls, compaction, ...(after !== undefined && { after }) })) {
      const notification: SessionNotification = { sessionId: event.threadId, update };
      this.outbound.sendNotification('session/update', notification, event.at);
    }
    if (event.type === 'turn/started') {
      const next = this.nextTurnEnds.get(event.threadId);
      this.nextTurnEnds.delete(event.threadId);
      if (next !== undefined) this.onTurnEnd(event.turnId, next);
    }
    if (event.type === 'turn/completed') {
      const ends = this.turnEnds.get(event.turnId) ?? [];
      this.turnEnds.delete(event.turnId);
      for (const end of ends) end({ status: event.status, error: event.error });
    }
  }

  /** A session/update that is no event of the thread's (a mode or config option the client chose). */
  update(sessionId: string, update: SessionUpdate): void {
    const notification: SessionNotification = { sessionId, update };
    this.outbound.sendNotification('session/update', notification, Date.now());
  }

  /**
   * A warning (a turn moved to a fallback provider, a server that failed) is a `notice` for a client
   * that said it shows them; one of no thread goes to each of this connection's sessions. Statuses,
   * rate limits and MCP states have no ACP form: they stay Keel's.
   */
  signal(signal: Signal): void {
    if (signal.type !== 'warned') return;
    const sessions = signal.threadId === null ? [...this.sessions] : this.sessions.has(signal.threadId) ? [signal.threadId] : [];
    for (const sessionId of sessions) this.notice(sessionId, signal.message);
  }

  /** A warning about one session for a client that shows notices; others get nothing (it is also in Keel's log). */
  notice(sessionId: string, title: string, description?: string): void {
    if (this.clientCapabilities.session?.notices == null) return;
    this.update(sessionId, { sessionUpdate: 'notice', severity: 'warning', title, ...(description !== undefined && { description }) });
  }

  ask<K extends QuestionKind>(question: QuestionOf<K>): AskedQuestion<K> {
    const started = 'itemId' in question ? this.calls.started(question.turnId, question.itemId) : undefined;
    // The model's questions go to an editor that offers forms as one (acp-elicitation.ts).
    if (question.kind === 'userInput' && this.clientCapabilities.elicitation?.form != null) {
      const userInput = question as QuestionOf<'userInput'>;
      return this.sent('elicitation/create', userInputElicitation(question.threadId, userInput, started?.id), (raw) => userInputAnswer(userInput, raw) as AnswerOf<K>);
    }
    const request = permissionRequest(question.threadId, question, started);
    if (request === null) return { id: `unasked-${question.kind}`, answer: Promise.resolve(unanswerable(question.kind) as never) };
    return this.sent('session/request_permission', request, (raw) => answerOf(question, isPermissionResponse(raw) ? raw : null));
  }

  /** A question sent as `method`; an error reply is read as null (the kind's "no"). */
  private sent<K extends QuestionKind>(method: string, params: unknown, read: (raw: unknown) => AnswerOf<K>): AskedQuestion<K> {
    const sent = this.outbound.sendRequest(method, params);
    // A client that went away never answers: the question waits for another or its timeout.
    const reply = sent.answer.catch((error: unknown) => (error instanceof ConnectionGone ? new Promise<never>(() => {}) : null));
    return { id: sent.id, answer: reply.then(read) };
  }

  /** A request to the editor (its files, its terminal); rejects with its error, or once it has gone. */
  request<T>(method: string, params: Record<string, unknown>): Promise<T> {
    return this.outbound.sendRequest(method, params).answer as Promise<T>;
  }

  /** A tool call's command runs in the editor's terminal: its call shows it (now, when it is already shown). */
  showTerminal(sessionId: string, turnId: string, itemId: string, terminalId: string): void {
    if (this.calls.terminal(turnId, itemId, terminalId)) this.update(sessionId, { sessionUpdate: 'tool_call_update', toolCallId: itemId, content: [terminalContent(terminalId)] });
  }

  ready(): Promise<void> | null {
    return this.outbound.whenWritable();
  }

  /** Resolves when `turnId` ends; call before the turn is published, so its end cannot be missed. */
  turnEnded(turnId: string): Promise<TurnEnd> {
    return new Promise((resolve) => this.onTurnEnd(turnId, resolve));
  }

  private onTurnEnd(turnId: string, end: (end: TurnEnd) => void): void {
    this.turnEnds.set(turnId, [...(this.turnEnds.get(turnId) ?? []), end]);
  }

  /** Resolves when the next turn `threadId` starts ends; call before it is published. */
  nextTurnEnded(threadId: string): Promise<TurnEnd> {
    return new Promise((resolve) => this.nextTurnEnds.set(threadId, resolve));
  }

  /** Runs `replay` with the thread's user messages included in its updates (session/load's history). */
  replayingHistory(threadId: string, replay: () => void): void {
    this.replaying = threadId;
    try {
      replay();
    } finally {
      this.replaying = null;
    }
  }
}

function isPermissionResponse(raw: unknown): raw is RequestPermissionResponse {
  const outcome = (raw as { outcome?: { outcome?: unknown } } | null)?.outcome?.outcome;
  return outcome === 'selected' || outcome === 'cancelled';
}
