// What a model receives before the thread's history, over stdio against the fake model servers:
// Keel's prompt (or the thread's base instructions) and the thread's developer instructions as
// developer messages, the AGENTS.md files from $KEEL_HOME and the repository root down to the cwd,
// and the environment the model works in.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEEL_PROMPT } from '../../src/engine/turns/keel-prompt.js';
import { startFakeModelServer, type FakeModelServer } from '../helpers/fake-model-server.js';
import { initialized, makeTempHome, removeAfterKeel, spawnKeel } from '../helpers/keel-process.js';
import { anthropic, responses } from '../helpers/wire-streams.js';

let fake: FakeModelServer;
const dirs: string[] = [];
beforeEach(async () => {
  fake = await startFakeModelServer();
});
afterEach(async () => {
  await removeAfterKeel(dirs);
  try {
    fake.assertDone();
  } finally {
    await fake.close();
  }
});

/** A home with its own AGENTS.md and a repository with AGENTS.md at the root and in `pkg/`. */
function workspace() {
  const home = makeTempHome();
  dirs.push(home);
  fs.writeFileSync(path.join(home, 'AGENTS.md'), 'Answer in English.\n');
  const repo = path.join(home, 'repo');
  const pkg = path.join(repo, 'pkg');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(pkg);
  fs.writeFileSync(path.join(repo, 'AGENTS.md'), 'Run `npm test` before you finish.\n');
  fs.writeFileSync(path.join(pkg, 'AGENTS.md'), 'This package has no dependencies; keep it so.\n');
  return { home, repo, pkg };
}

const env = (extra: Record<string, string>) => ({ SHELL: '/bin/bash', TZ: 'UTC', ...extra });
const today = () => new Date().toISOString().slice(0, 10);
const userText = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const developer = (text: string) => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
const agentsFile = (dir: string, text: string) => `# AGENTS.md instructions for ${dir}\n\n<INSTRUCTIONS>\n${text}\n</INSTRUCTIONS>`;

function environment(cwd: string, approval: string, sandbox: string, network: string, roots?: string[]): string {
  const lines = [`  <cwd>${cwd}</cwd>`, '  <shell>bash</shell>', `  <current_date>${today()}</current_date>`, '  <timezone>UTC</timezone>'];
  lines.push(`  <approval_policy>${approval}</approval_policy>`, `  <sandbox_mode>${sandbox}</sandbox_mode>`, `  <network_access>${network}</network_access>`);
  if (roots) lines.push(`  <writable_roots>${roots.join(', ')}</writable_roots>`);
  return `<environment_context>\n${lines.join('\n')}\n</environment_context>`;
}

describe('what the model receives first', () => {
  it("Keel's prompt, every AGENTS.md from $KEEL_HOME and the repository root down to the cwd, then the environment", async () => {
    const { home, repo, pkg } = workspace();
    fake.script(responses.route, [{ sse: responses.stream([responses.message('ok')]) }]);
    const keel = spawnKeel({ home, env: env({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` }) });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', { cwd: pkg, approvalPolicy: 'on-request', sandbox: 'workspace-write' });
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await keel.waitFor('turn/completed');
    const body = fake.calls[0]!.body as { input: unknown[]; instructions?: unknown };
    expect(body.instructions).toBeUndefined();
    expect(body.input).toEqual([
      developer(KEEL_PROMPT),
      userText(agentsFile(home, 'Answer in English.')),
      userText(agentsFile(repo, 'Run `npm test` before you finish.')),
      userText(agentsFile(pkg, 'This package has no dependencies; keep it so.')),
      userText(environment(pkg, 'on-request', 'workspace-write', 'restricted', [pkg])),
      userText('hi'),
    ]);
  });

  it("a thread's base instructions replace Keel's prompt; its developer instructions follow (Anthropic: in the system prompt)", async () => {
    const { home, repo } = workspace();
    fs.rmSync(path.join(home, 'AGENTS.md'));
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('ok')]) }]);
    const keel = spawnKeel({ home, env: env({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url }) });
    await initialized(keel);
    const { thread } = await keel.request('thread/start', {
      cwd: repo,
      approvalPolicy: 'never',
      sandbox: 'read-only',
      baseInstructions: 'You review code; you never change it.',
      developerInstructions: 'Reply in one paragraph.',
    });
    await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    await keel.waitFor('turn/completed');
    const body = fake.calls[0]!.body as { system: unknown; messages: unknown[] };
    // One system block, a prompt-cache breakpoint at its end (tests/providers/anthropic-cache.test.ts).
    const cache_control = { type: 'ephemeral' };
    expect(body.system).toEqual([{ type: 'text', text: 'You review code; you never change it.\n\nReply in one paragraph.', cache_control }]);
    const text = (t: string) => ({ type: 'text', text: t });
    expect(body.messages).toEqual([
      { role: 'user', content: [text(agentsFile(repo, 'Run `npm test` before you finish.')), text(environment(repo, 'never', 'read-only', 'restricted')), { ...text('hi'), cache_control }] },
    ]);
  });
});
