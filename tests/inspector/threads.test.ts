// The Inspector's threads and thread view in chromium, against a real `keel inspect` on the
// scripted model: the list (newest first, paged, searched, live badges, the open thread marked)
// and a turn rendered as a person reads it (Markdown with highlighted code and escaped HTML, a
// command's output and exit code, a patch's diff, a plan checklist, a folded reasoning summary).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector } from '../helpers/inspector.js';
import { initialized, spawnKeel } from '../helpers/keel-process.js';
import { runTurn } from '../helpers/turns.js';

/** expect.poll with room for a loaded machine (the default gives up after 1 s). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

const require = createRequire(import.meta.url);
const homes: string[] = [];
function freshHome(config?: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-threads-'));
  if (config !== undefined) fs.writeFileSync(path.join(home, 'config.toml'), config);
  homes.push(home);
  return home;
}

/** `count` threads with one turn each (a thread is listed once it has one), the scripted model echoing. */
async function seedThreads(home: string, messages: string[]): Promise<void> {
  const keel = spawnKeel({ home, cwd: home, env: { KEEL_SCRIPT: undefined } });
  await initialized(keel);
  for (const text of messages) {
    const { thread } = await keel.request('thread/start', {});
    await runTurn(keel, thread.id, text);
  }
  await keel.close();
}

/** axe-core's serious and critical findings in the threads nav and the thread pane (the parts built here). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe.run({
      include: [['nav[aria-label="Threads"]'], ['main[aria-label="Thread"]']],
    }),
  );
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const rowsOf = (page: Page) => page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]');

async function connected(page: Page): Promise<void> {
  await poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);
}

describe.skipIf(noBrowserReason !== null)('keel inspect: threads', () => {
  const browser = browserPerFile();
  afterAll(() => {
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists threads newest first, pages with "Load more threads", searches, and marks the open one', async () => {
    const home = freshHome();
    const messages = Array.from({ length: 27 }, (_, i) => (i === 3 ? 'Thread 3 talks about a zebra' : `Thread ${i}`));
    await seedThreads(home, messages);
    const inspector = await startInspector({ home });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    const rows = rowsOf(page);
    await poll(() => rows.count()).toBe(25);
    expect(await rows.locator('.thread-row-title').allTextContents()).toEqual(messages.slice(2).reverse());
    await poll(() => rows.first().locator('.badge').textContent()).toBe('not loaded');
    await screenshot(page, 'threads-first-page');

    await page.getByRole('button', { name: 'Load more threads' }).click();
    await poll(() => rows.count()).toBe(27);
    expect(await rows.locator('.thread-row-title').allTextContents()).toEqual([...messages].reverse());
    expect(await page.getByRole('button', { name: 'Load more threads' }).count()).toBe(0);

    await page.getByRole('searchbox', { name: 'Search threads' }).fill('zebra');
    await poll(() => rows.locator('.thread-row-title').allTextContents()).toEqual(['Thread 3 talks about a zebra']);
    await screenshot(page, 'threads-search');

    await rows.first().getByRole('button').click();
    await poll(() => rows.first().getByRole('button').getAttribute('aria-current')).toBe('true');
    const thread = page.getByRole('main', { name: 'Thread' });
    await poll(() => thread.locator('h2').textContent()).toBe('Thread 3 talks about a zebra');
    await poll(() => thread.locator('[data-item-type="userMessage"] .markdown').textContent()).toBe('Thread 3 talks about a zebra');
    await thread.locator('[data-item-type="agentMessage"]').waitFor();
    await screenshot(page, 'threads-open-thread');

    await page.getByRole('searchbox', { name: 'Search threads' }).fill('');
    await poll(() => rows.count()).toBe(25);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, 90_000);

  it('shows a thread turning "active" live, on the page that runs it and on a second page watching it', async () => {
    const inspector = await startInspector({ script: [[{ text: 'First answer.' }], [{ stall: true }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    await page.getByRole('button', { name: 'New thread' }).click();
    const rows = rowsOf(page);
    await poll(() => rows.count()).toBe(1);
    await poll(() => rows.first().getByRole('button').getAttribute('aria-current')).toBe('true');
    await page.getByLabel('Message').fill('First');
    await page.getByRole('button', { name: 'Send' }).click();
    await poll(() => page.locator('section[aria-label="Turn 1"]').getAttribute('data-turn-status')).toBe('completed');
    await poll(() => rows.first().locator('.thread-row-title').textContent()).toBe('First');

    // A second page (the same session) opens the thread, which subscribes it to the thread's events.
    const second = await page.context().newPage();
    second.on('pageerror', (error) => errors.push(error.message));
    await second.goto(inspector.origin);
    await connected(second);
    const secondRows = rowsOf(second);
    await poll(() => secondRows.locator('.thread-row-title').allTextContents()).toEqual(['First']);
    await secondRows.first().getByRole('button').click();
    await poll(() => second.locator('[data-item-type="agentMessage"] .markdown').textContent()).toBe('First answer.');
    await poll(() => secondRows.first().locator('.badge').textContent()).toBe('idle');

    // The first page starts a turn that runs on (the model stalls): both pages show it active.
    await page.getByLabel('Message').fill('Wait for me');
    await page.getByRole('button', { name: 'Send' }).click();
    await poll(() => rows.first().locator('.badge').textContent()).toBe('active');
    await poll(() => page.locator('.thread-header [data-thread-status]').textContent()).toBe('active');
    await poll(() => secondRows.first().locator('.badge').textContent()).toBe('active');
    await poll(() => second.locator('section[aria-label="Turn 2"]').getAttribute('data-turn-status')).toBe('inProgress');
    await screenshot(page, 'threads-active-badge');
    await screenshot(second, 'threads-second-page-active');
    expect(errors).toEqual([]);
    await inspector.stop();
  }, 60_000);

  it('renders a turn as a person reads it: reasoning folded, plan, command output, diff, Markdown', async () => {
    const home = freshHome('approval_policy = "never"\nsandbox_mode = "danger-full-access"\n');
    const markdown = [
      '# Result',
      '',
      '- wrote **hello.txt**',
      '- ran the check',
      '',
      '```ts',
      'const answer: number = 42;',
      '```',
      '',
      '<script>window.__ranScript = true</script>',
      '',
      'Inline <img src="x" onerror="window.__ranImage = true"> stays text.',
    ].join('\n');
    const script = [
      [
        { reasoningSummary: '**Planning** the work step by step' },
        { toolCall: { name: 'update_plan', callId: 'plan-1', arguments: { plan: [{ step: 'Write hello.txt', status: 'completed' }, { step: 'Run the check', status: 'in_progress' }, { step: 'Report', status: 'pending' }] } } },
      ],
      [{ toolCall: { name: 'exec_command', callId: 'cmd-1', arguments: { cmd: 'echo checked-output; exit 3', login: false, yield_time_ms: 30_000 } } }],
      [{ toolCall: { name: 'apply_patch', callId: 'patch-1', arguments: { input: '*** Begin Patch\n*** Add File: hello.txt\n+hi there\n*** End Patch\n' } } }],
      [{ text: markdown }],
    ];
    const inspector = await startInspector({ home, script });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('Do the work');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn = page.locator('section[aria-label="Turn 1"]');
    await poll(() => turn.getAttribute('data-turn-status')).toBe('completed');

    const reasoning = turn.locator('[data-item-type="reasoning"] details.reasoning');
    expect(await reasoning.getAttribute('open')).toBeNull();
    expect(await reasoning.locator('> summary').textContent()).toBe('Reasoning: Planning the work step by step');

    const plan = turn.getByRole('region', { name: 'Plan' });
    expect(await plan.locator('li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-status'), li.lastElementChild!.textContent]))).toEqual([
      ['completed', 'Write hello.txt'],
      ['inProgress', 'Run the check'],
      ['pending', 'Report'],
    ]);

    const command = turn.locator('[data-item-type="commandExecution"]');
    expect(await command.locator('.command-line').textContent()).toContain('echo checked-output; exit 3');
    await poll(() => command.getByLabel('Output').textContent()).toBe('checked-output\n');
    expect(await command.getByText('exit 3', { exact: true }).count()).toBe(1);

    const diff = turn.getByRole('table', { name: /^Diff of .*hello\.txt$/ });
    expect(await diff.locator('tr.diff-add .diff-text').textContent()).toBe('+hi there');

    const answer = turn.locator('[data-item-type="agentMessage"] .markdown');
    expect(await answer.locator('h1').textContent()).toBe('Result');
    expect(await answer.locator('li').allTextContents()).toEqual(['wrote hello.txt', 'ran the check']);
    expect(await answer.locator('pre code.language-ts .hljs-keyword').first().textContent()).toBe('const');
    expect(await answer.locator('script, img').count()).toBe(0);
    const text = await answer.textContent();
    expect(text).toContain('<script>window.__ranScript = true</script>');
    expect(text).toContain('<img src="x" onerror="window.__ranImage = true"> stays text.');
    expect(await page.evaluate(() => [(window as { __ranScript?: boolean }).__ranScript, (window as { __ranImage?: boolean }).__ranImage])).toEqual([undefined, undefined]);
    await screenshot(page, 'threads-turn-rendered');

    await reasoning.locator('> summary').click();
    await poll(() => reasoning.locator('.markdown strong').textContent()).toBe('Planning');
    await turn.locator('[data-item-type="reasoning"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'threads-reasoning-open');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, 90_000);

  it('shows a failed turn with its error message', async () => {
    const inspector = await startInspector({ script: [[{ error: { kind: 'badRequest', message: 'the model refused the request' } }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('Try it');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn = page.locator('section[aria-label="Turn 1"]');
    await poll(() => turn.getAttribute('data-turn-status')).toBe('failed');
    expect(await turn.getByRole('alert').textContent()).toBe('Error: the model refused the request (badRequest)');
    await poll(() => rowsOf(page).first().locator('.badge').textContent()).toBe('system error');
    await screenshot(page, 'threads-turn-failed');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, 60_000);

  it('streams an answer live and keeps the view at the bottom while it grows', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => ({ text: `Streamed line ${i + 1}.\n\n` }));
    const inspector = await startInspector({ script: [[...lines, { stall: true }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('Talk a lot');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('[data-item-type="agentMessage"] .markdown');
    // Every line shows while the turn still runs (it stalls after the text): the view folds deltas live.
    await poll(() => answer.locator('p').count()).toBe(120);
    expect(await page.locator('section[aria-label="Turn 1"]').getAttribute('data-turn-status')).toBe('inProgress');
    expect(await answer.locator('p').last().textContent()).toBe('Streamed line 120.');
    const gap = () => page.locator('.thread').evaluate((pane) => pane.scrollHeight - pane.scrollTop - pane.clientHeight);
    await poll(gap).toBeLessThanOrEqual(24);
    expect(await page.locator('.thread').evaluate((pane) => pane.scrollHeight > pane.clientHeight * 2)).toBe(true);
    await screenshot(page, 'threads-streaming-bottom');
    expect(errors).toEqual([]);
    await inspector.stop();
  }, 60_000);

  it('shows an MCP tool call: server and tool, arguments, result', async () => {
    const fixture = path.join(process.cwd(), 'tests', 'fixtures', 'mcp', 'fixture-server.mjs');
    const home = freshHome(['approval_policy = "never"', '[mcp_servers.fixture]', `command = ${JSON.stringify(process.execPath)}`, `args = [${JSON.stringify(fixture)}]`, ''].join('\n'));
    const script = [[{ toolCall: { name: 'mcp__fixture__echo', callId: 'mcp-1', arguments: { text: 'hello mcp' } } }], [{ text: 'Echoed.' }]];
    const inspector = await startInspector({ home, script });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await connected(page);
    await page.getByRole('button', { name: 'New thread' }).click();
    // The server starts with the thread, without holding it up: the raw log tells when it is ready.
    await page.getByRole('tab', { name: 'Raw log' }).click();
    await page.locator('li[data-method="mcpServer/startupStatus/updated"]', { hasText: '"status":"ready"' }).waitFor({ timeout: 15_000 });
    await page.getByRole('textbox', { name: 'Message' }).fill('Echo it');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn = page.locator('section[aria-label="Turn 1"]');
    await poll(() => turn.getAttribute('data-turn-status')).toBe('completed');
    const call = turn.locator('[data-item-type="mcpToolCall"]');
    expect(await call.locator('.item-head code').textContent()).toBe('fixture / echo');
    expect(await call.locator('.item-status').textContent()).toBe('completed');
    expect(JSON.parse((await call.getByLabel('Arguments').textContent())!)).toEqual({ text: 'hello mcp' });
    expect(await call.getByLabel('Result').textContent()).toBe('hello mcp');
    await screenshot(page, 'threads-mcp-call');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, 60_000);
});
