// What the session bench prints: per contender the provider's bill (from the fake endpoint's
// ledger, i.e. the usage it reported on the wire), the hit ratio and the cost against the same
// session uncached; the targets met or missed; the summary object.
import { sessionCost } from './prices.mjs';

export const TARGETS = { hitRatio: 0.9, costRatio: 0.25 };

/** `calls`: the endpoint's ledger; `reported`: the client's own last usage total (or null). */
export function measure(model, { calls, reported }) {
  const sum = (list, field) => list.reduce((n, c) => n + c[field], 0);
  const later = calls.slice(1);
  const { cost, uncached } = sessionCost(model, calls);
  return {
    calls: calls.length,
    inputTokens: sum(calls, 'prompt'),
    cachedTokens: sum(calls, 'cached'),
    cacheWriteTokens: sum(calls, 'write5m') + sum(calls, 'write1h'),
    outputTokens: sum(calls, 'output'),
    firstCallTokens: calls[0]?.prompt ?? 0,
    // The longest tool output as the client sent it back (with its call and reasoning): clients cut long outputs differently.
    largestStep: Math.max(0, ...calls.slice(1).map((c, i) => c.prompt - calls[i].prompt)),
    hitRatio: sum(later, 'prompt') === 0 ? 0 : sum(later, 'cached') / sum(later, 'prompt'),
    // What the ratio hides: the tokens billed at the full price from the second call on. A larger
    // fixed preamble raises the ratio without saving anything; this count does not move with it.
    missedTokens: sum(later, 'prompt') - sum(later, 'cached'),
    cost,
    uncachedCost: uncached,
    costRatio: uncached === 0 ? 0 : cost / uncached,
    reported: reported === null ? null : { inputTokens: reported.inputTokens, cachedInputTokens: reported.cachedInputTokens },
  };
}

const int = (n) => n.toLocaleString('en-US');
const usd = (n) => `$${n.toFixed(4)}`;

export function lines(name, m) {
  const out = [
    `${name}: ${m.calls} calls, first call ${int(m.firstCallTokens)} input tokens, largest growth from one call to the next ${int(m.largestStep)}`,
    `  billed input ${int(m.inputTokens)} tokens, cached ${int(m.cachedTokens)}, cache writes ${int(m.cacheWriteTokens)}, output ${int(m.outputTokens)}`,
    `  hit ratio (cached / input, calls 2-${m.calls}) ${m.hitRatio.toFixed(3)}, ${int(m.missedTokens)} tokens uncached after call 1; cost ${usd(m.cost)} against ${usd(m.uncachedCost)} uncached: cost ratio ${m.costRatio.toFixed(3)}`,
  ];
  if (m.reported) {
    const same = m.reported.inputTokens === m.inputTokens && m.reported.cachedInputTokens === m.cachedTokens;
    out.push(`  the client's own thread/tokenUsage total: input ${int(m.reported.inputTokens)}, cached ${int(m.reported.cachedInputTokens)} (${same ? 'equals the bill' : 'differs from the bill'})`);
  } else out.push(`  the client sent no thread/tokenUsage/updated`);
  return out;
}

/** Each target, met or missed. `results`: { keel: { responses, anthropic }, codex: { responses } }. */
export function verdicts(results) {
  const out = [];
  const check = (label, value, ok) => out.push(`target ${label}: ${value === null ? 'n/a' : value.toFixed(3)} — ${value === null ? 'not measured' : ok ? 'met' : 'missed'}`);
  for (const [wire, label] of [['responses', 'Responses'], ['anthropic', 'Anthropic']]) {
    const m = results.keel[wire];
    check(`Keel ${label} hit ratio ≥ ${TARGETS.hitRatio}`, m?.hitRatio ?? null, m && m.hitRatio >= TARGETS.hitRatio);
    check(`Keel ${label} cost ratio ≤ ${TARGETS.costRatio}`, m?.costRatio ?? null, m && m.costRatio <= TARGETS.costRatio);
  }
  const keel = results.keel.responses?.hitRatio ?? null;
  const codex = results.codex.responses?.hitRatio ?? null;
  out.push(`target Keel Responses hit ratio ≥ Codex's: ${keel === null || codex === null ? 'not measured' : `${keel.toFixed(3)} vs ${codex.toFixed(3)} — ${keel >= codex ? 'met' : 'missed'}`}`);
  const [keelMissed, codexMissed] = [results.keel.responses?.missedTokens, results.codex.responses?.missedTokens];
  if (keelMissed !== undefined && codexMissed !== undefined) {
    out.push(`  (beside it: uncached tokens after call 1, Keel ${int(keelMissed)} vs Codex ${int(codexMissed)}; session cost Keel ${usd(results.keel.responses.cost)} vs Codex ${usd(results.codex.responses.cost)})`);
  }
  return out;
}

const round = (n) => Math.round(n * 1000) / 1000;

/** The last line: one JSON object. A contender that did not run has its reason instead of numbers. */
export function summary(results) {
  const pick = (m, fields) => (m === undefined ? null : 'skipped' in m ? { hitRatio: null, ...(fields.includes('costRatio') ? { costRatio: null } : {}), skipped: m.skipped } : Object.fromEntries(fields.map((f) => [f, round(m[f])])));
  return JSON.stringify({
    keel: { responses: pick(results.keel.responses, ['hitRatio', 'costRatio']), anthropic: pick(results.keel.anthropic, ['hitRatio', 'costRatio']) },
    codex: { responses: pick(results.codex.responses, ['hitRatio']) },
  });
}
