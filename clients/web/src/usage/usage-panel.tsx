// Token usage and cost per turn and for the open thread, with a small chart.
import type { InspectorModel } from '../model/inspector-model.js';
import { UsageChart } from './usage-chart.js';
import { formatTokens, formatUsd, threadUsage } from './usage-rows.js';
import './usage.css';

export function UsagePanel({ model }: { model: InspectorModel }) {
  const threadId = model.selectedThreadId;
  const state = threadId === null ? undefined : model.connection?.thread(threadId);
  if (threadId === null || state === undefined) return <p class="empty">No thread open.</p>;
  const wire = model.wireThread(threadId);
  const usage = threadUsage(state, { provider: wire?.modelProvider ?? '', model: wire?.model ?? null });
  return (
    <div class="usage">
      <section class="usage-totals" role="region" aria-label="Thread usage">
        <h2>Thread usage</h2>
        {usage.total === null ? (
          <p class="empty">No usage reported yet.</p>
        ) : (
          <dl>
            <dt>Tokens</dt>
            <dd data-field="tokens">{formatTokens(usage.total.totalTokens)}</dd>
            <dt>Cost</dt>
            <dd data-field="cost">{formatUsd(usage.costUsd)}</dd>
            <dt>Context window used</dt>
            <dd data-field="context">{usage.contextUsedPercent === null ? '—' : `${usage.contextUsedPercent.toFixed(1)}%`}</dd>
          </dl>
        )}
      </section>
      <table aria-label="Usage per turn" class="usage-table">
        <thead>
          <tr>
            <th scope="col">Turn</th>
            <th scope="col">Input</th>
            <th scope="col">Cached input</th>
            <th scope="col">Output</th>
            <th scope="col">Reasoning</th>
            <th scope="col">Total</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {usage.rows.map((row) => (
            <tr key={row.turnId} data-turn-id={row.turnId}>
              <th scope="row">{row.number}</th>
              <td>{formatTokens(row.usage.inputTokens)}</td>
              <td>{formatTokens(row.usage.cachedInputTokens)}</td>
              <td>{formatTokens(row.usage.outputTokens)}</td>
              <td>{formatTokens(row.usage.reasoningOutputTokens)}</td>
              <td>{formatTokens(row.usage.totalTokens)}</td>
              <td>{formatUsd(row.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {usage.rows.length > 0 && <UsageChart rows={usage.rows} />}
    </div>
  );
}
