// Medians with min and max, ratios, and the table for bench/RESULTS.md.
export function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

/** `better`: 'lower' (times, bytes) or 'higher' (throughput); `target` is on keel/codex. */
export function verdict(metric) {
  const ratio = metric.keel.median / metric.codex.median;
  const met = metric.better === 'lower' ? ratio <= metric.target : ratio >= metric.target;
  return { ratio, met };
}

const fmt = (value, unit) => {
  if (unit === 'MiB') return (value / 2 ** 20).toFixed(1);
  if (unit === 's') return value.toFixed(2);
  if (unit === 'deltas/s') return Math.round(value).toLocaleString('en-US');
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
};

export function tableRows(metrics) {
  const rows = ['| figure | Keel median (min–max) | Codex median (min–max) | Keel/Codex | target | |', '|---|---|---|---|---|---|'];
  for (const m of metrics) {
    const cell = (s) => `${fmt(s.median, m.unit)} (${fmt(s.min, m.unit)}–${fmt(s.max, m.unit)}) ${m.unit}`;
    if (!m.codex) {
      rows.push(`| ${m.label} | ${cell(m.keel)} | — | — | — | |`);
      continue;
    }
    const { ratio, met } = verdict(m);
    const target = m.target === undefined ? '—' : `${m.better === 'lower' ? '≤' : '≥'} ${m.target}×`;
    rows.push(`| ${m.label} | ${cell(m.keel)} | ${cell(m.codex)} | ${ratio.toFixed(2)}× | ${target} | ${m.target === undefined ? '' : met ? 'met' : '**missed**'} |`);
  }
  return rows;
}
