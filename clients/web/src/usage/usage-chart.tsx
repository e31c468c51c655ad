// A small stacked bar chart of each turn's tokens: uncached input, cached input and output.
// Inline SVG (no chart library); the same numbers are in the table beside it.
import type { UsageRow } from './usage-rows.js';

const WIDTH = 280;
const HEIGHT = 120;
const SERIES = [
  { key: 'input', label: 'input', color: '#0a58ca' },
  { key: 'cached', label: 'cached input', color: '#6ea8fe' },
  { key: 'output', label: 'output', color: '#116329' },
] as const;

export function UsageChart({ rows }: { rows: UsageRow[] }) {
  const parts = rows.map((row) => ({
    number: row.number,
    input: Math.max(0, row.usage.inputTokens - row.usage.cachedInputTokens),
    cached: row.usage.cachedInputTokens,
    output: row.usage.outputTokens,
  }));
  const max = Math.max(1, ...parts.map((part) => part.input + part.cached + part.output));
  const slot = WIDTH / Math.max(1, parts.length);
  const bar = Math.min(40, slot * 0.7);
  return (
    <figure class="usage-chart">
      <svg role="img" aria-label="Tokens per turn" viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`} width={WIDTH} height={HEIGHT + 14}>
        <title>Tokens per turn: {parts.map((part) => `turn ${part.number}: ${part.input} input, ${part.cached} cached, ${part.output} output`).join('; ')}</title>
        {parts.map((part, index) => {
          let top = HEIGHT;
          const x = index * slot + (slot - bar) / 2;
          return (
            <g key={part.number}>
              {SERIES.map(({ key, color }) => {
                const height = (part[key] / max) * HEIGHT;
                top -= height;
                return height > 0 ? <rect key={key} data-series={key} x={x} y={top} width={bar} height={height} fill={color} /> : null;
              })}
              <text x={x + bar / 2} y={HEIGHT + 12} text-anchor="middle" font-size="10" fill="#57606a">
                {part.number}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {SERIES.map(({ key, label, color }) => (
          <span key={key} class="usage-legend">
            <svg class="usage-swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" fill={color} />
            </svg>
            {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
