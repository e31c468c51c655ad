// The pure parts of the Inspector's composer, request dialogs and usage panel, and the price
// table they share with the server (core/model-prices.ts).
import { describe, expect, it } from 'vitest';
import { NO_CHOICES, turnOverrides } from '../../../clients/web/src/composer/turn-overrides.js';
import { DEFAULT_COMMAND_DECISIONS, decisionLabel, escapeDecision, type CommandDecision } from '../../../clients/web/src/requests/decisions.js';
import { formatUsd, threadUsage } from '../../../clients/web/src/usage/usage-rows.js';
import { costUsd, modelPrices } from '../../../src/core/model-prices.js';
import { listFrom } from '../../../src/core/plist.js';
import type { TurnState } from '../../../src/core/state.js';

describe('turnOverrides', () => {
  it('adds nothing the user left alone', () => {
    expect(turnOverrides(NO_CHOICES, 'gpt-5')).toEqual({});
  });
  it('maps every choice to its turn/start field and shape', () => {
    expect(turnOverrides({ model: 'gpt-5-mini', effort: 'high', approvalPolicy: 'on-request', sandbox: 'workspace-write', mode: 'plan' }, 'gpt-5-mini')).toEqual({
      model: 'gpt-5-mini',
      effort: 'high',
      approvalPolicy: 'on-request',
      sandboxPolicy: { type: 'workspaceWrite' },
      collaborationMode: { mode: 'plan', settings: { model: 'gpt-5-mini' } },
    });
    expect(turnOverrides({ ...NO_CHOICES, sandbox: 'danger-full-access' }, 'x').sandboxPolicy).toEqual({ type: 'dangerFullAccess' });
    expect(turnOverrides({ ...NO_CHOICES, sandbox: 'read-only' }, 'x').sandboxPolicy).toEqual({ type: 'readOnly' });
  });
  it('refuses Plan mode without a model to name', () => {
    expect(() => turnOverrides({ ...NO_CHOICES, mode: 'plan' }, '')).toThrow('Plan mode needs a model: choose one');
  });
});

describe('approval decisions', () => {
  it('labels each decision the request offers', () => {
    const offered: CommandDecision[] = ['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['ls'] } }, { applyNetworkPolicyAmendment: { network_policy_amendment: { host: 'example.com', action: 'allow' } } }, 'decline', 'cancel'];
    expect(offered.map((decision) => decisionLabel(decision))).toEqual(['Accept', 'Accept for session', 'Accept and remember rule', 'Allow network to example.com', 'Decline', 'Cancel']);
    expect(decisionLabel({ somethingNew: {} } as never)).toBe('somethingNew');
  });
  it('maps Escape to cancel, else decline, else nothing', () => {
    expect(escapeDecision(DEFAULT_COMMAND_DECISIONS)).toBe('cancel');
    expect(escapeDecision(['accept', 'decline'])).toBe('decline');
    expect(escapeDecision(['accept'])).toBeUndefined();
  });
});

describe('model prices', () => {
  it('prices a model wherever it is served, dated snapshots as their model; unknown is null', () => {
    expect(modelPrices('openai', 'gpt-5')).toEqual({ input: 1.25, cachedInput: 0.125, cacheWrite: 1.25, output: 10, asOf: '2026-12-06' });
    expect(modelPrices('openrouter', 'openai/gpt-5')).toEqual(modelPrices('openai', 'gpt-5'));
    expect(modelPrices('anthropic', 'claude-sonnet-4-5-20250929')).toEqual({ input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15, asOf: '2026-12-06' });
    expect(modelPrices('scripted', 'scripted')).toBeNull();
    expect(modelPrices('groq', 'openai/gpt-oss-120b')).toBeNull();
  });
  it('costs uncached input, cache reads and writes, and output at their prices', () => {
    const prices = modelPrices('anthropic', 'claude-sonnet-4-5')!;
    expect(costUsd({ inputTokens: 1_000_000, cachedInputTokens: 200_000, cacheWriteInputTokens: 100_000, outputTokens: 10_000 }, prices)).toBeCloseTo(0.7 * 3 + 0.2 * 0.3 + 0.1 * 3.75 + 0.01 * 15, 10);
  });
});

describe('threadUsage', () => {
  const call = (input: number, cached: number, output: number) => ({ inputTokens: input, cachedInputTokens: cached, cacheWriteInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output });
  const turn = (id: string, model: string | null, usage: TurnState['usage']): TurnState => ({ id, status: 'completed', error: null, startedAtMs: null, completedAtMs: null, model, items: listFrom([]), ...(usage ? { usage } : {}) });

  it('rows per turn with usage, costs at the turn model, the thread total and the context window share', () => {
    const turns = listFrom([turn('t1', 'gpt-5', [{ route: null, usage: call(1000, 0, 100) }, { route: null, usage: call(2000, 1000, 50) }]), turn('t2', null, undefined), turn('t3', 'gpt-5-mini', [{ route: null, usage: call(4000, 0, 0) }])]);
    const usage = threadUsage({ turns, tokenUsage: { last: call(4000, 0, 0), total: call(7000, 1000, 150), modelContextWindow: 400_000 } }, { provider: 'openai', model: 'gpt-5' });
    expect(usage.rows).toEqual([
      { turnId: 't1', number: 1, usage: call(3000, 1000, 150), costUsd: (2000 * 1.25 + 1000 * 0.125 + 150 * 10) / 1e6 },
      { turnId: 't3', number: 3, usage: call(4000, 0, 0), costUsd: (4000 * 0.25) / 1e6 },
    ]);
    expect(usage.costUsd).toBe(0.005125);
    expect(usage.total).toEqual(call(7000, 1000, 150));
    expect(usage.contextUsedPercent).toBe(1);
  });
  it('an unpriced route makes the cost unknown, shown as a dash', () => {
    const turns = listFrom([turn('t1', null, [{ route: { provider: 'scripted', model: 'scripted' }, usage: call(10, 0, 1) }])]);
    const usage = threadUsage({ turns, tokenUsage: { last: call(10, 0, 1), total: call(10, 0, 1), modelContextWindow: null } }, { provider: 'scripted', model: 'scripted' });
    expect(usage.rows[0]!.costUsd).toBeNull();
    expect(formatUsd(usage.costUsd)).toBe('—');
    expect(usage.contextUsedPercent).toBeNull();
    expect(formatUsd(0.0051249)).toBe('$0.0051');
    expect(formatUsd(12.5)).toBe('$12.50');
  });
});
