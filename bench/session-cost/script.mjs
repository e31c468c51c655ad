// The coding session every contender runs: two user turns of 20 model calls each. In each turn the
// model asks for 19 commands, one a call, that read files the bench wrote (`cat logs/t1-07.log`),
// 200 to 8,000 tokens each, then answers with a short text. The model's next step is read from
// the request alone (the turn's marker in the last user message, the tool outputs after it), so
// one fake serves any client.
import fs from 'node:fs';
import path from 'node:path';
import { BYTES_PER_TOKEN } from './cache-rules.mjs';

export const TURNS = 2;
export const CALLS_PER_TURN = 20;
export const TOOL_CALLS_PER_TURN = CALLS_PER_TURN - 1;
/** Bytes of the AGENTS.md the bench writes: with Keel's own prompt and tools, a preamble of about 10k tokens. */
export const AGENTS_BYTES = 31_000;
/** Simulated time: a model call and its tool take CALL_MS; the user reads the answer for THINK_MS before the next turn. */
export const CALL_MS = 6_000;
export const THINK_MS = 90_000;

export const turnText = (turn) => `SESSION TURN ${turn}: read the build logs one by one and tell me what failed.`;
const MARKER = /SESSION TURN (\d+):/;

/** Tokens of the k-th command's output (k from 0 over the whole session): 200 to 8,000, spread geometrically, in a fixed shuffled order. */
export function outputTokens(k) {
  const n = TURNS * TOOL_CALLS_PER_TURN;
  const u = ((k * 7) % n) / (n - 1);
  return Math.round(200 * 40 ** u);
}

export const logFile = (turn, call) => `logs/t${turn}-${String(call + 1).padStart(2, '0')}.log`;

/** A deterministic log of about `tokens` tokens (4 bytes each). */
function logText(tokens, seed) {
  const lines = [];
  let bytes = 0;
  for (let i = 0; bytes < tokens * BYTES_PER_TOKEN - 64; i++) {
    const line = `[${String(seed).padStart(2, '0')}:${String(i).padStart(5, '0')}] step ${((i * 2654435761 + seed) >>> 0) % 9973} compiled module m${i % 97} in ${(i * 37 + seed) % 500} ms\n`;
    lines.push(line);
    bytes += line.length;
  }
  return lines.join('');
}

function agentsText() {
  const rules = [];
  for (let i = 0; rules.join('').length < AGENTS_BYTES - 200; i++) {
    rules.push(`- Rule ${i + 1}: keep module m${i % 97} free of side effects at import; its tests live beside it and run with \`make test-m${i % 97}\`.\n`);
  }
  return `# Project rules\n\nThis repository builds many small modules. Follow these rules when changing it.\n\n${rules.join('')}`;
}

/** Writes the workspace: AGENTS.md and every file the session reads. */
export function writeWorkspace(dir) {
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'AGENTS.md'), agentsText());
  for (let turn = 1; turn <= TURNS; turn++) {
    for (let call = 0; call < TOOL_CALLS_PER_TURN; call++) {
      const k = (turn - 1) * TOOL_CALLS_PER_TURN + call;
      fs.writeFileSync(path.join(dir, logFile(turn, call)), logText(outputTokens(k), k));
    }
  }
}

/**
 * The model's next step, from what the request holds: `texts` every user text in order, `outputsAfterLast`
 * the tool outputs after the last user text that carries a turn marker.
 */
export function nextStep(lastMarkedText, outputsAfterLast) {
  const turn = Number(MARKER.exec(lastMarkedText ?? '')?.[1] ?? 0);
  if (turn === 0) return { kind: 'text', text: 'There is no session here.' };
  if (outputsAfterLast < TOOL_CALLS_PER_TURN) return { kind: 'command', command: `cat ${logFile(turn, outputsAfterLast)}` };
  return { kind: 'text', text: `Read ${TOOL_CALLS_PER_TURN} logs of turn ${turn}: every step compiled; nothing failed.` };
}

export const isMarked = (text) => MARKER.test(text);
