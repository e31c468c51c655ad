// Reliability, approvals: talking the `untrusted` policy around. Two halves:
// - thousands of seeded hostile variants of read-only lines (hostile-commands.ts: options that run
//   a pager or a program in every spelling, config overrides, environment prefixes, substitutions,
//   redirections, writers after connectors, options hidden in brace lists or globs, other shells,
//   wrappers), each checked not to be vouched for as read-only;
// - real attacks through Keel, in a seeded order in one turn: each would make its own marker file
//   if it ran unasked; every one must be asked (the client declines) and no marker may appear.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyReads } from '../../src/tools/exec/read-only.js';
import { isServerRequest } from '../helpers/approvals.js';
import type { FakeResponse } from '../helpers/fake-model-server.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { rng, shuffled } from '../helpers/rng.js';
import { params } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';
import { hostileVariant, safeBases } from './hostile-commands.js';
import { reportPart, SEED } from './tally.js';

const VARIANTS = 5_000;

const fake = useFakeModelServer();

/** exec_command arguments that each make `marker` when run unasked. */
const REAL_ATTACKS: Array<{ args: Record<string, unknown>; marker: string }> = [
  { args: { cmd: `git grep '-Otouch mk_grep_o;true' needle` }, marker: 'mk_grep_o' },
  { args: { cmd: `git grep --open-files-in-pager='touch mk_grep_long;true' needle` }, marker: 'mk_grep_long' },
  { args: { cmd: `git grep {'-Otouch mk_brace;true',needle}` }, marker: 'mk_brace' },
  { args: { cmd: 'git --config-env=diff.external=SHELL diff' }, marker: 'mk_cfg' },
  { args: { cmd: `git -c diff.external='touch mk_c;true' diff` }, marker: 'mk_c' },
  { args: { cmd: `GIT_EXTERNAL_DIFF='touch mk_env;true' git diff` }, marker: 'mk_env' },
  { args: { cmd: 'rg --pre sh needle .' }, marker: 'mk_pre' },
  { args: { cmd: "sed -n '1w mk_sed' a.txt" }, marker: 'mk_sed' },
  { args: { cmd: 'sort -omk_sort a.txt' }, marker: 'mk_sort' },
  { args: { cmd: 'find . -name a.txt -fprint mk_find' }, marker: 'mk_find' },
  { args: { cmd: 'cat a.txt > mk_redir' }, marker: 'mk_redir' },
  { args: { cmd: `ls = f'{__import__("os").system("touch mk_py")}'`, shell: 'python3', login: false }, marker: 'mk_py' },
  { args: { cmd: 'ls', shell: 'script', login: false }, marker: 'typescript' },
];

/** A repository where each attack has what it needs: a match for git grep, a changed run.sh for an external diff, a hook for rg --pre. */
function repository(): string {
  const cwd = workspace({ 'a.txt': 'needle\n', 'run.sh': 'echo original\n', 'hook.sh': 'touch mk_pre\n', 'notes.txt': 'notes\n' });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, stdio: 'ignore' });
  git('init', '-q', '.');
  git('add', '.');
  git('commit', '-qm', 'initial');
  fs.writeFileSync(path.join(cwd, 'run.sh'), 'touch mk_cfg\n');
  return cwd;
}

describe('reliability: approvals under untrusted cannot be talked around', () => {
  it(`${VARIANTS} seeded hostile variants of read-only lines: none is vouched for; ${REAL_ATTACKS.length + 1} real attacks through Keel: each asked, none ran`, async () => {
    const startedAt = Date.now();
    const random = rng(SEED);
    console.log(`reliability approvals: seed ${SEED}`);
    expect(safeBases(random).filter((line) => !onlyReads(line))).toEqual([]);
    const vouched: Array<{ kind: string; line: string; shell?: string }> = [];
    const kinds = new Map<string, number>();
    const classifying = performance.now();
    for (let n = 0; n < VARIANTS; n++) {
      const variant = hostileVariant(random);
      kinds.set(variant.kind, (kinds.get(variant.kind) ?? 0) + 1);
      if (onlyReads(variant.line, variant.shell)) vouched.push(variant);
    }
    const classifiedMs = performance.now() - classifying;
    expect(vouched).toEqual([]);

    const cwd = repository();
    const attacks = shuffled(REAL_ATTACKS, random);
    const script: FakeResponse[] = attacks.map((attack, k) => ({ sse: wire.stream([wire.functionCall(`call_${k}`, 'exec_command', JSON.stringify(attack.args))]) }));
    // Last, keys typed into a pager: `!cmd` in less, through write_stdin to its session.
    script.push(
      { sse: wire.stream([wire.functionCall('call_less', 'exec_command', JSON.stringify({ cmd: 'less notes.txt', tty: true, yield_time_ms: 1000 }))]) },
      {
        respond: (request) => {
          const output = ((request.body as any).input as any[]).find((entry) => entry.type === 'function_call_output' && entry.call_id === 'call_less').output as string;
          const sessionId = Number(/Process running with session ID (\d+)/.exec(output)![1]);
          return { sse: wire.stream([wire.functionCall('call_stdin', 'write_stdin', JSON.stringify({ session_id: sessionId, chars: '!touch mk_less\n', yield_time_ms: 1000 }))]) };
        },
      },
      { sse: wire.stream([wire.message('Done.')]) },
    );
    fake.script(wire.route, script);
    const keel = spawnKeel({ cwd, env: { SHELL: '/bin/sh', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    const { turn } = await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'go' }] });
    const asked: string[] = [];
    for (;;) {
      const next = await keel.waitFor((m) => isServerRequest(m, 'item/commandExecution/requestApproval') || (m.method === 'turn/completed' && params(m).turn.id === turn.id), 20_000);
      if (next.method === 'turn/completed') break;
      asked.push(params(next).itemId);
      keel.sendLine(JSON.stringify({ id: next.id, result: { decision: 'decline' } }));
    }
    const markers = [...attacks.map((attack) => attack.marker), 'mk_less'].filter((marker) => fs.existsSync(path.join(cwd, marker)));
    expect({ asked, markers }).toEqual({ asked: [...attacks.map((_, k) => `call_${k}`), 'call_stdin'], markers: [] });

    console.log(`reliability approvals: ${VARIANTS} variants drawn and classified in ${classifiedMs.toFixed(0)} ms; by kind ${JSON.stringify(Object.fromEntries([...kinds].sort()))}`);
    reportPart('approvals', { attacks: VARIANTS + attacks.length + 1, turns: 1 }, startedAt);
  }, 180_000);
});
