// review/start over stdio: a review of an uncommitted change in a temporary git repository, the
// model reading the diff with read-only tools and ending with its findings; items in Codex's order
// (enteredReviewMode, the request, the work, the findings, exitedReviewMode).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REVIEW_PROMPT } from '../../src/engine/turns/review.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { FULL_ACCESS, keelWithThread, params } from '../helpers/turns.js';
import { responses as wire } from '../helpers/wire-streams.js';
import { workspace } from '../helpers/workspace.js';

const fake = useFakeModelServer();

describe('review/start', () => {
  it('reviews uncommitted changes: read-only tools, findings as the last message and in exitedReviewMode', async () => {
    const repo = workspace({ 'add.js': 'export const add = (a, b) => a + b;\n' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'add');
    fs.writeFileSync(path.join(repo, 'add.js'), 'export const add = (a, b) => a - b;\n');
    const findings = '1. add.js:1 — `add` now subtracts: `a - b` must be `a + b`.';
    fake.script(wire.route, [
      { sse: wire.stream([wire.functionCall('call_d', 'exec_command', JSON.stringify({ cmd: 'git diff', login: false }))]) },
      { sse: wire.stream([wire.functionCall('call_w', 'apply_patch', JSON.stringify({ input: '*** Begin Patch\n*** Delete File: add.js\n*** End Patch\n' }))]) },
      { sse: wire.stream([wire.message(findings)]) },
    ]);
    const { keel, threadId } = await keelWithThread({
      thread: { ...FULL_ACCESS, cwd: repo },
      config: ['model = "gpt-4.1"'],
      spawn: { cwd: repo, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } },
    });
    const before = keel.messages.length;
    const answer = await keel.request('review/start', { threadId, target: { type: 'uncommittedChanges' } });
    expect(answer).toEqual({ turn: expect.objectContaining({ status: 'inProgress', items: [] }), reviewThreadId: threadId });
    await keel.waitFor('turn/completed');
    const completed = keel.messages.slice(before).filter((m) => m.method === 'item/completed').map((m) => params(m).item);
    const request = 'Review the uncommitted changes in the working tree: staged, unstaged and untracked files (git status, git diff, git diff --staged).';
    expect(completed.map((item) => item.type)).toEqual(['enteredReviewMode', 'userMessage', 'commandExecution', 'fileChange', 'agentMessage', 'exitedReviewMode']);
    expect(completed[0]).toEqual({ type: 'enteredReviewMode', id: expect.any(String), review: request });
    expect(completed[2]).toMatchObject({ status: 'completed', aggregatedOutput: expect.stringContaining('-export const add = (a, b) => a + b;\n+export const add = (a, b) => a - b;') });
    // Read-only: the change the model tried was refused, and nothing changed.
    expect(completed[3]).toMatchObject({ type: 'fileChange', status: 'declined' });
    expect(fs.readFileSync(path.join(repo, 'add.js'), 'utf8')).toBe('export const add = (a, b) => a - b;\n');
    expect(completed[5]).toEqual({ type: 'exitedReviewMode', id: expect.any(String), review: findings });
    const developer = (fake.calls[0]!.body as { input: Array<{ role?: string; content?: Array<{ text?: string }> | string }> }).input
      .filter((entry) => entry.role === 'developer')
      .map((entry) => (typeof entry.content === 'string' ? entry.content : entry.content?.map((part) => part.text).join('')));
    expect(developer).toContain(REVIEW_PROMPT);
  });
});
