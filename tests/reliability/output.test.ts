// Reliability, output ceiling: commands that flood their output in every shape a seeded PRNG
// draws — 100-byte lines, one endless line, multibyte characters the cap must not split, output on
// stderr, both streams at once, a trickle under the cap — each run as the user's own command in
// one Keel. Each must stream at most the 1 MiB cap plus one closing line that counts exactly what
// was elided, store exactly what it streamed, and complete. Then clients that stop reading: a turn
// flooding 50–150 MB while the client reads nothing (not dropped; it gets the rest when it reads
// again) and command/exec streaming without a cap to a client that stops reading (paused, every
// byte delivered after). Keel's peak resident memory is checked at the end.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STREAMED_OUTPUT_MAX_BYTES } from '../../src/tools/exec/output-caps.js';
import type { KeelProcess } from '../helpers/keel-process.js';
import { rng, type Rng } from '../helpers/rng.js';
import { storedEvents, withDatabase } from '../helpers/threads.js';
import { FULL_ACCESS, keelWithThread, params } from '../helpers/turns.js';
import { workspace } from '../helpers/workspace.js';
import { reportPart, SEED } from './tally.js';

const MiB = 1024 * 1024;
const CAP = STREAMED_OUTPUT_MAX_BYTES;
const FLOODS = 14;
const PAUSED_TURNS = 2;
const PAUSED_EXECS = 2;

interface Flood {
  name: string;
  cmd: string;
  /** Bytes the command prints. */
  bytes: number;
  /** The newlines among them. */
  newlines: number;
  /** Its whole output, when the order of it is fixed (one stream). */
  text?: string;
}

const newlinesIn = (text: string) => text.split('\n').length - 1;
const utf8 = (text: string) => Buffer.byteLength(text);

/** `lines` lines of `word`, from `yes` (to stdout, or to stderr with `toStderr`). */
function yesLines(name: string, word: string, lines: number, toStderr = false): Flood {
  const line = `${word}\n`;
  return { name, cmd: `yes '${word}' | head -n ${lines}${toStderr ? ' 1>&2' : ''}`, bytes: lines * utf8(line), newlines: lines, text: line.repeat(lines) };
}

const SHAPES: Array<(random: Rng) => Flood> = [
  (random) => yesLines('100-byte lines', 'x'.repeat(99), 1000 + random.int(200_000)),
  (random) => {
    const bytes = MiB + random.int(20 * MiB);
    return { name: 'one endless line', cmd: `head -c ${bytes} /dev/zero | tr '\\0' a`, bytes, newlines: 0, text: 'a'.repeat(bytes) };
  },
  (random) => yesLines('multibyte characters', random.pick(['é', '日本語', '🦀x', 'ab€']).repeat(1 + random.int(40)), 20_000 + random.int(200_000)),
  (random) => yesLines('on stderr', 'err'.repeat(1 + random.int(30)), 20_000 + random.int(300_000), true),
  (random) => {
    const a = 10_000 + random.int(200_000);
    const b = 10_000 + random.int(200_000);
    return { name: 'both streams at once', cmd: `yes out | head -n ${a} & yes err | head -n ${b} 1>&2; wait`, bytes: 4 * (a + b), newlines: a + b };
  },
  (random) => yesLines('a trickle under the cap', `line ${random.int(1000)}`, 1 + random.int(5000)),
];

const deltasOf = (keel: KeelProcess, from: number, itemId: string) =>
  keel.messages.slice(from).filter((m) => m.method === 'item/commandExecution/outputDelta' && params(m).itemId === itemId).map((m) => params(m).delta as string);

/** The stored deltas of an item, joined (the log keeps them as runs). */
const storedDeltas = (home: string, threadId: string, itemId: string) =>
  withDatabase(path.join(home, 'keel.db'), (db) =>
    storedEvents(db, threadId)
      .filter((e) => e.type === 'item/delta')
      .map((e) => JSON.parse(e.body) as { itemId: string; delta: string })
      .filter((e) => e.itemId === itemId)
      .map((e) => e.delta)
      .join(''),
  );

/** Runs the command as the user's own in its own turn; resolves with its item id once the turn has completed. */
async function runShellCommand(keel: KeelProcess, threadId: string, cmd: string, timeoutMs = 120_000): Promise<string> {
  const from = keel.messages.length;
  await keel.request('thread/shellCommand', { threadId, command: cmd });
  const done = await keel.waitFor((m) => m.method === 'turn/completed' && keel.messages.indexOf(m) >= from, timeoutMs);
  expect(params(done).turn.status).toBe('completed');
  return params(keel.messages.slice(from).find((m) => m.method === 'item/started')!).item.id as string;
}

const storedTurnEnds = (home: string, threadId: string) =>
  withDatabase(path.join(home, 'keel.db'), (db) => storedEvents(db, threadId).filter((e) => e.type === 'turn/completed').length);
const pauses = (keel: KeelProcess) => keel.stderr.split('not reading; pausing').length - 1;

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('reliability: output ceiling', () => {
  it('floods of every shape stream at most the cap and say exactly what was elided; clients that stop reading are paused, not dropped', async () => {
    const startedAt = Date.now();
    const random = rng(SEED);
    const cwd = workspace();
    const { keel, threadId } = await keelWithThread({ thread: FULL_ACCESS, spawn: { cwd } });
    let attacks = 0;
    const shapes: string[] = [];

    for (let i = 0; i < FLOODS; i++) {
      const flood = SHAPES[i % SHAPES.length]!(random);
      shapes.push(`${flood.name} ${(flood.bytes / MiB).toFixed(1)} MiB`);
      const from = keel.messages.length;
      const itemId = await runShellCommand(keel, threadId, flood.cmd);
      const deltas = deltasOf(keel, from, itemId);
      const joined = deltas.join('');
      expect(joined, flood.name).not.toContain('\uFFFD');
      if (flood.bytes <= CAP) {
        if (flood.text !== undefined) expect(joined, flood.name).toBe(flood.text);
        else expect(utf8(joined), flood.name).toBe(flood.bytes);
      } else {
        const closing = deltas.at(-1)!;
        const streamed = joined.slice(0, joined.length - closing.length);
        // Cut at the cap, never inside a character (at most 3 bytes short of it).
        expect(utf8(streamed), flood.name).toBeLessThanOrEqual(CAP);
        expect(utf8(streamed), flood.name).toBeGreaterThan(CAP - 4);
        if (flood.text !== undefined) expect(flood.text.startsWith(streamed), flood.name).toBe(true);
        expect(closing, flood.name).toBe(`\n[… ${flood.bytes - utf8(streamed)} bytes (${flood.newlines - newlinesIn(streamed)} lines) elided …]\n`);
      }
      expect(storedDeltas(keel.home, threadId, itemId), flood.name).toBe(joined);
      attacks++;
    }

    // A client that reads nothing while a turn floods: Keel neither drops it nor grows; once it reads, the rest arrives.
    for (let i = 0; i < PAUSED_TURNS; i++) {
      const bytes = 50_000_000 + random.int(100_000_000);
      const from = keel.messages.length;
      const turnsBefore = storedTurnEnds(keel.home, threadId);
      keel.pauseOutput();
      keel.sendLine(JSON.stringify({ id: `paused-${i}`, method: 'thread/shellCommand', params: { threadId, command: `head -c ${bytes} /dev/zero | tr '\\0' z` } }));
      await until('the flooding turn is stored as completed', () => storedTurnEnds(keel.home, threadId) > turnsBefore, 120_000);
      keel.resumeOutput();
      const done = await keel.waitFor((m) => m.method === 'turn/completed' && keel.messages.indexOf(m) >= from, 30_000);
      expect(params(done).turn.status).toBe('completed');
      const itemId = params(keel.messages.slice(from).find((m) => m.method === 'item/started')!).item.id as string;
      expect(deltasOf(keel, from, itemId).join('')).toBe('z'.repeat(CAP) + `\n[… ${bytes - CAP} bytes (0 lines) elided …]\n`);
      attacks++;
    }

    // command/exec streaming with no cap to a client that stops reading: the command waits on its pipe.
    for (let i = 0; i < PAUSED_EXECS; i++) {
      const bytes = 12 * MiB + random.int(12 * MiB);
      const processId = `paused-exec-${i}`;
      const from = keel.messages.length;
      keel.pauseOutput();
      const answered = keel.request('command/exec', { command: ['sh', '-c', `head -c ${bytes} /dev/zero | tr '\\0' e; touch ${processId}`], processId, streamStdoutStderr: true, disableOutputCap: true, disableTimeout: true }, 120_000);
      await until('Keel pauses its output producers', () => pauses(keel) > i, 60_000);
      // Paused with output to go: the command has not finished (its last act would be the touch).
      expect(fs.existsSync(path.join(cwd, processId))).toBe(false);
      keel.resumeOutput();
      expect(await answered).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      const streamed = keel.messages
        .slice(from)
        .filter((m) => m.method === 'command/exec/outputDelta' && params(m).processId === processId)
        .reduce((sum, m) => sum + Buffer.from(params(m).deltaBase64 as string, 'base64').length, 0);
      expect(streamed).toBe(bytes);
      attacks++;
    }

    // Peak memory over every attack: a ceiling (the uncapped build held every delta: GBs for these floods).
    const peak = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${keel.pid}/status`, 'utf8'))![1]) * 1024;
    expect(peak).toBeLessThan(300 * MiB);
    expect(keel.stderr).not.toMatch(/treating it as gone|output limit/);
    expect(await keel.close()).toBe(0);

    console.log(`reliability output: ${FLOODS} floods (${shapes.join(', ')}), ${PAUSED_TURNS} flooding turns and ${PAUSED_EXECS} uncapped command/exec streams to a client that stopped reading; peak RSS ${(peak / MiB).toFixed(0)} MiB`);
    reportPart('output', { attacks, turns: FLOODS + PAUSED_TURNS }, startedAt);
  }, 600_000);
});
