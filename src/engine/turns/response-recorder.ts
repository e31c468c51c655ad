// Turns one model response (a stream of ModelEvents) into thread events: one item per message or
// reasoning block, deltas as they come, token usage at the end. Tool calls are collected for the
// runner to execute. With the `text` sink (a compaction) the text is only collected: no item is
// recorded, the usage still is.
import { stampEvent, type EventBody } from '../../core/events.js';
import { findItem } from '../../core/state.js';
import type { ThreadItem } from '../../core/protocol-types.js';
import type { CarriedReasoning } from '../../core/events.js';
import type { ModelEvent, ReasoningCarry, TokenUsage } from '../../providers/types.js';
import type { ThreadRuntime } from '../thread-runtime.js';

export interface ToolCallRequest {
  callId: string;
  name: string;
  arguments: string;
  freeform?: boolean;
}

/** Where a response goes: the turn's items, or only its text (`text`). */
export type ResponseSink = 'items' | 'text';

type OpenBlock = { id: string; kind: 'agentMessage' | 'reasoning'; summaryParts: number; carry?: ReasoningCarry };

export class ResponseRecorder {
  readonly toolCalls: ToolCallRequest[] = [];
  usage: TokenUsage | null = null;
  /** The response's text, collected with the `text` sink. */
  text = '';
  /** Whether the response said anything but whitespace. */
  private spoke = false;
  private open: OpenBlock | null = null;

  constructor(
    private readonly runtime: ThreadRuntime,
    private readonly turnId: string,
    private readonly now: () => number,
    private readonly newId: () => string,
    private readonly contextWindow: number | null,
    /** Who answers: a reasoning item's carry records it (its data goes back to the same family only). */
    private readonly route: { provider: string; model: string },
    private readonly sink: ResponseSink = 'items',
  ) {}

  /** No text and no tool call (reasoning alone does not count): the model gave nothing to act on. */
  empty(): boolean {
    return !this.spoke && this.toolCalls.length === 0;
  }

  handle(event: ModelEvent): void {
    if (event.type === 'text' && !this.spoke && event.delta.trim() !== '') this.spoke = true;
    if (this.sink === 'text') {
      if (event.type === 'text') this.text += event.delta;
      else if (event.type === 'usage') this.usage = event.usage;
      return;
    }
    switch (event.type) {
      case 'text':
        this.openBlock('agentMessage');
        this.emitDelta('agentMessage', 0, event.delta);
        return;
      case 'reasoningSummaryPart':
        this.ensureSummaryPart(event.index);
        return;
      case 'reasoningSummary':
        this.ensureSummaryPart(event.index);
        this.emitDelta('reasoningSummary', event.index, event.delta);
        return;
      case 'reasoningText':
        this.openBlock('reasoning');
        this.emitDelta('reasoningText', event.index, event.delta);
        return;
      case 'blockEnd':
        this.closeOpen();
        return;
      case 'reasoningCarry':
        // With no reasoning block open it is a block of its own (redacted, or with no summary).
        this.openBlock('reasoning').carry = event.carry;
        return;
      case 'toolCall':
        this.closeOpen();
        this.toolCalls.push({ callId: event.callId, name: event.name, arguments: event.arguments, ...(event.freeform && { freeform: true }) });
        return;
      case 'usage':
        this.usage = event.usage;
        return;
      case 'rateLimits':
      case 'completed':
        return;
    }
  }

  /** Completes the block in progress with what it holds (end of response, failure, interrupt). */
  closeOpen(): void {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    const current = findItem(this.runtime.state, this.turnId, open.id);
    if (current === undefined || current.completedAtMs !== null) return;
    const carry = open.carry && { carry: { provider: this.route.provider, model: this.route.model, data: open.carry } as CarriedReasoning };
    this.apply({ type: 'item/completed', turnId: this.turnId, itemId: open.id, item: current.item, ...carry });
  }

  /** Records this response's token usage with who answered; the reducer keeps the totals. */
  recordUsage(): void {
    if (this.usage === null) return;
    // A collected response (a compaction's summary) was asked with a prompt that is not the thread's context.
    const compaction = this.sink === 'text' ? { compaction: true as const } : {};
    this.apply({ type: 'turn/tokenUsage', turnId: this.turnId, last: { ...this.usage }, modelContextWindow: this.contextWindow, route: { ...this.route }, ...compaction });
  }

  private openBlock(kind: OpenBlock['kind']): OpenBlock {
    if (this.open?.kind === kind) return this.open;
    this.closeOpen();
    const id = this.newId();
    const item: ThreadItem =
      kind === 'agentMessage'
        ? { type: 'agentMessage', id, text: '', phase: null, memoryCitation: null }
        : { type: 'reasoning', id, summary: [], content: [] };
    this.open = { id, kind, summaryParts: 0 };
    this.apply({ type: 'item/started', turnId: this.turnId, itemId: id, item });
    return this.open;
  }

  private ensureSummaryPart(index: number): void {
    const block = this.openBlock('reasoning');
    while (block.summaryParts <= index) {
      this.apply({ type: 'item/summaryPartAdded', turnId: this.turnId, itemId: block.id, index: block.summaryParts });
      block.summaryParts++;
    }
  }

  private emitDelta(channel: 'agentMessage' | 'reasoningSummary' | 'reasoningText', index: number, delta: string): void {
    if (delta === '' || this.open === null) return;
    this.apply({ type: 'item/delta', turnId: this.turnId, itemId: this.open.id, channel, index, delta });
  }

  private apply(body: EventBody): void {
    this.runtime.apply([stampEvent(this.runtime.state.id, this.now(), body)]);
  }
}
