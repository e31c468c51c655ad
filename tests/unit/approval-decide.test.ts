// When a command or a file change runs, is asked, or is refused: each approval policy against
// each sandbox, the model's escalation, remembered decisions and the retry after a sandbox refusal.
import { describe, expect, it } from 'vitest';
import { decideExec, decideWrite, type ExecFacts } from '../../src/engine/approvals/decide.js';
import { ExecRules, proposedPrefix } from '../../src/engine/approvals/exec-rules.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plainExecFacts } from '../helpers/exec-facts.js';

const base = plainExecFacts;
const noBwrap = { cause: 'bubblewrap (bwrap) was not found on PATH', fix: 'install it' };
const askWithout = { action: 'ask', sandboxed: false, reason: 'bubblewrap (bwrap) was not found on PATH. Run the command without the sandbox?' } as const;
const failsWithFix = 'the command was not run: the sandbox is unavailable (bubblewrap (bwrap) was not found on PATH); install it';

describe('decideExec', () => {
  const cases: Array<[string, Partial<ExecFacts>, ReturnType<typeof decideExec>]> = [
    ['on-request: runs in the sandbox', {}, { action: 'run', sandboxed: true, remembered: null }],
    ['on-request, full access: runs unconfined', { sandbox: { type: 'dangerFullAccess' } }, { action: 'run', sandboxed: false, remembered: null }],
    ['on-request, escalated: asks with the justification, to run unconfined', { escalated: true, justification: 'why' }, { action: 'ask', sandboxed: false, reason: 'why' }],
    ['on-request, escalated, accepted for the session before', { escalated: true, sessionAllows: true }, { action: 'run', sandboxed: false, remembered: 'session' }],
    ['never, escalated: refused', { policy: 'never', escalated: true }, { action: 'refuse', reason: expect.stringContaining('approval policy is never') }],
    ['never: runs in the sandbox', { policy: 'never' }, { action: 'run', sandboxed: true, remembered: null }],
    ['untrusted, a write: asked, then run in the sandbox', { policy: 'untrusted' }, { action: 'ask', sandboxed: true, reason: null }],
    ['untrusted, only reads: runs', { policy: 'untrusted', onlyReads: true }, { action: 'run', sandboxed: true, remembered: null }],
    ['a prefix rule: runs unconfined without asking', { policy: 'untrusted', ruleAllows: true }, { action: 'run', sandboxed: false, remembered: 'rule' }],
    ['untrusted, input for a running command: asked, whatever it looks like and whatever the rules', { policy: 'untrusted', input: true, onlyReads: true, ruleAllows: true }, { action: 'ask', sandboxed: false, reason: null }],
    ['untrusted, the same input accepted for the session before: written', { policy: 'untrusted', input: true, sessionAllows: true }, { action: 'run', sandboxed: false, remembered: 'session' }],
    ['on-request, input for a running command: written', { input: true }, { action: 'run', sandboxed: false, remembered: null }],
    ['never, input for a running command: written', { policy: 'never', input: true }, { action: 'run', sandboxed: false, remembered: null }],
    ['on-failure, refused by the sandbox: asks to run without it', { policy: 'on-failure', sandboxDenial: 'Read-only file system' }, { action: 'ask', sandboxed: false, reason: expect.stringContaining('Read-only file system') }],
    ['on-request, refused by the sandbox: not retried', { sandboxDenial: 'Read-only file system' }, { action: 'refuse', reason: 'not run again outside the sandbox: the approval policy is on-request' }],
    [
      'granular without sandbox approval, escalated: refused',
      { policy: { granular: { sandbox_approval: false, rules: true, mcp_elicitations: true } }, escalated: true },
      { action: 'refuse', reason: expect.stringContaining('does not allow asking') },
    ],
    ['no sandbox here, on-request: asks to run without it, the cause as the reason', { sandboxUnavailable: noBwrap }, askWithout],
    ['no sandbox here, on-failure: asks to run without it', { policy: 'on-failure', sandboxUnavailable: noBwrap }, askWithout],
    ['no sandbox here, untrusted, a write: asks to run without it', { policy: 'untrusted', sandboxUnavailable: noBwrap }, askWithout],
    ['no sandbox here, untrusted, only reads: asked all the same (nothing would confine it)', { policy: 'untrusted', onlyReads: true, sandboxUnavailable: noBwrap }, askWithout],
    ['no sandbox here, accepted for the session before: runs unconfined', { sandboxUnavailable: noBwrap, sessionAllows: true }, { action: 'run', sandboxed: false, remembered: 'session' }],
    ['no sandbox here, never: fails with the cause and the fix', { policy: 'never', sandboxUnavailable: noBwrap }, { action: 'refuse', failed: true, reason: failsWithFix }],
    [
      'no sandbox here, granular without sandbox approval: fails, saying it may not ask',
      { policy: { granular: { sandbox_approval: false, rules: true, mcp_elicitations: true } }, sandboxUnavailable: noBwrap },
      { action: 'refuse', failed: true, reason: `${failsWithFix} (the approval policy does not allow asking to run without it)` },
    ],
    ['no sandbox here, full access: runs as always', { sandbox: { type: 'dangerFullAccess' }, sandboxUnavailable: noBwrap }, { action: 'run', sandboxed: false, remembered: null }],
    ['no sandbox here, a prefix rule: runs unconfined without asking', { ruleAllows: true, sandboxUnavailable: noBwrap }, { action: 'run', sandboxed: false, remembered: 'rule' }],
    ['no sandbox here, escalated: asks with the justification, as with one', { escalated: true, justification: 'why', sandboxUnavailable: noBwrap }, { action: 'ask', sandboxed: false, reason: 'why' }],
  ];
  it.each(cases)('%s', (_name, facts, plan) => {
    expect(decideExec({ ...base, ...facts })).toEqual(plan);
  });
});

describe('decideWrite', () => {
  it('runs inside the roots, asks outside them, refuses outside under never; untrusted asks always', () => {
    expect(decideWrite({ policy: 'on-request', outside: null, sessionAllows: false })).toEqual({ action: 'run', remembered: null });
    expect(decideWrite({ policy: 'on-request', outside: 'writing /x is outside', sessionAllows: false })).toEqual({ action: 'ask', reason: 'writing /x is outside' });
    expect(decideWrite({ policy: 'never', outside: 'writing /x is outside', sessionAllows: false })).toEqual({ action: 'refuse', reason: 'writing /x is outside, and the approval policy is never' });
    expect(decideWrite({ policy: 'untrusted', outside: null, sessionAllows: false })).toEqual({ action: 'ask', reason: null });
    expect(decideWrite({ policy: 'untrusted', outside: null, sessionAllows: true })).toEqual({ action: 'run', remembered: 'session' });
  });
});

describe('exec rules', () => {
  it('persists allowed prefixes in Codex syntax and matches every part of a command line', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-rules-'));
    const rules = new ExecRules(home);
    expect(rules.allows('npm test')).toBe(false);
    rules.add(['npm', 'test']);
    rules.add(['npm', 'test']);
    rules.add(['git', 'status']);
    expect(fs.readFileSync(path.join(home, 'rules', 'default.rules'), 'utf8')).toBe(
      'prefix_rule(pattern=["npm", "test"], decision="allow")\nprefix_rule(pattern=["git", "status"], decision="allow")\n',
    );
    expect(new ExecRules(home).allows('npm test -- --watch')).toBe(true);
    expect(rules.allows('npm test && git status')).toBe(true);
    expect(rules.allows('npm test && rm -rf /')).toBe(false);
    expect(rules.allows('npm install')).toBe(false);
    expect(rules.allows('npm test > $(whoami)')).toBe(false);
  });

  it('proposes the words of a single simple command, nothing for lists or what it cannot read', () => {
    expect(proposedPrefix('cargo build --release')).toEqual(['cargo', 'build', '--release']);
    expect(proposedPrefix('make && make install')).toBeNull();
    expect(proposedPrefix('echo $(id)')).toBeNull();
  });
});
