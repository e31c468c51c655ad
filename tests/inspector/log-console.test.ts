// The raw log and the request console in chromium against a real `keel inspect`: a turn run from
// the console (thread/start, turn/start), the log filtered by method, thread and direction and
// copied as JSONL; the console's generated form (enum selects, a number field) and the server's
// answer, or its error for a wrongly typed parameter.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector } from '../helpers/inspector.js';

interface Row {
  method: string | null;
  direction: string | null;
  kind: string | null;
  summary: string;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical violations inside the tools panel, as `rule: target` lines. */
async function toolViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(`axe.run(document.querySelector('.tools')).then((result) =>
    result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .flatMap((violation) => violation.nodes.map((node) => violation.id + ': ' + node.target.join(' '))))`) as Promise<string[]>;
}

async function openTool(page: Page, name: 'Raw log' | 'Request console'): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

/** Sends `params` (as JSON) with `method` from the console; resolves with the Response text parsed. */
async function sendFromConsole(page: Page, method: string, params: unknown): Promise<unknown> {
  await page.getByLabel('Method', { exact: true }).selectOption(method);
  await page.getByLabel('Params (JSON)').fill(JSON.stringify(params));
  const sent = page.getByRole('region', { name: 'Sent requests' }).getByRole('listitem');
  const before = await sent.count();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect.poll(() => sent.count()).toBe(before + 1);
  return JSON.parse((await page.getByRole('region', { name: 'Response' }).textContent()) ?? '');
}

/** The rows the raw log shows: method, direction, kind and summary of each. */
function shownRows(page: Page): Promise<Row[]> {
  return page
    .getByRole('list', { name: 'Messages' })
    .locator(':scope > li')
    .evaluateAll((items) =>
      items.map((item) => ({
        method: item.getAttribute('data-method'),
        direction: item.getAttribute('data-direction'),
        kind: item.getAttribute('data-kind'),
        summary: item.querySelector('.log-summary')?.textContent ?? '',
      })),
    );
}

// Each test drives a whole session through the page (several requests, a turn or two): on the two
// shared cores that can take longer than the 20 s default.
const SESSION_TIMEOUT_MS = 90_000;

describe.skipIf(noBrowserReason !== null)('keel inspect: raw log and request console', () => {
  const browser = browserPerFile();

  it('filters the raw log of a turn by method, thread and direction and copies it as JSONL', async () => {
    const inspector = await startInspector({ script: [[{ text: 'Hello from the ' }, { text: 'scripted model.' }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors, { context: { permissions: ['clipboard-read', 'clipboard-write'] } });
    page.setDefaultTimeout(20_000);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);

    await openTool(page, 'Request console');
    const started = (await sendFromConsole(page, 'thread/start', { approvalPolicy: 'never' })) as { thread: { id: string } };
    const threadId = started.thread.id;
    await sendFromConsole(page, 'turn/start', { threadId, input: [{ type: 'text', text: 'Say hello', text_elements: [] }] });

    await openTool(page, 'Raw log');
    const filterByMethod = page.getByRole('textbox', { name: 'Filter by method' });
    await filterByMethod.fill('turn/completed');
    await expect.poll(() => shownRows(page).then((rows) => rows.length)).toBe(1);

    await filterByMethod.fill('item/agentMessage/delta');
    const deltas = await shownRows(page);
    expect(deltas.map(({ method, direction, kind }) => ({ method, direction, kind }))).toEqual([
      { method: 'item/agentMessage/delta', direction: 'in', kind: 'notification' },
      { method: 'item/agentMessage/delta', direction: 'in', kind: 'notification' },
    ]);
    expect(deltas.map((row) => /"delta":"([^"]*)"/.exec(row.summary)?.[1])).toEqual(['Hello from the ', 'scripted model.']);
    expect(await page.locator('.raw-log-count').textContent()).toMatch(/^2 of \d+ messages$/);

    // An answer carries the method of the request it answers (and the filter is a substring).
    await filterByMethod.fill('turn/start');
    expect((await shownRows(page)).map(({ method, direction, kind }) => ({ method, direction, kind }))).toEqual([
      { method: 'turn/start', direction: 'out', kind: 'request' },
      { method: 'turn/start', direction: 'in', kind: 'response' },
      { method: 'turn/started', direction: 'in', kind: 'notification' },
    ]);

    // Only the messages about the thread, sent by the page, about turns.
    await filterByMethod.fill('turn/');
    await page.getByRole('combobox', { name: 'Filter by thread' }).selectOption(threadId);
    await page.getByRole('combobox', { name: 'Direction' }).selectOption('out');
    expect((await shownRows(page)).map(({ method, direction, kind }) => ({ method, direction, kind }))).toEqual([{ method: 'turn/start', direction: 'out', kind: 'request' }]);
    await page.getByRole('combobox', { name: 'Direction' }).selectOption('all');
    const turnRows = await shownRows(page);
    expect(turnRows.map(({ method, direction, kind }) => ({ method, direction, kind }))).toEqual([
      { method: 'turn/start', direction: 'out', kind: 'request' },
      { method: 'turn/start', direction: 'in', kind: 'response' },
      { method: 'turn/started', direction: 'in', kind: 'notification' },
      { method: 'turn/completed', direction: 'in', kind: 'notification' },
    ]);
    await screenshot(page, 'raw-log-filtered');
    expect(await toolViolations(page)).toEqual([]);

    // Copy as JSONL: every line is one shown message, as its expanded JSON shows it.
    await page.getByRole('button', { name: 'Copy as JSONL' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied' }).textContent()).toBe(`Copied ${turnRows.length} messages`);
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied.endsWith('\n')).toBe(true);
    const lines = copied.slice(0, -1).split('\n').map((line) => JSON.parse(line) as unknown);
    const rows = page.getByRole('list', { name: 'Messages' }).locator(':scope > li');
    const expanded: unknown[] = [];
    for (let index = 0; index < turnRows.length; index++) {
      await rows.nth(index).getByRole('button').press('Enter');
      expanded.push(JSON.parse((await rows.nth(index).locator('pre').textContent()) ?? ''));
    }
    expect(lines).toEqual(expanded);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download JSONL' }).click();
    expect(fs.readFileSync(await (await download).path(), 'utf8')).toBe(copied);
    expect(lines[0]).toEqual({ id: expect.any(Number), method: 'turn/start', params: { threadId, input: [{ type: 'text', text: 'Say hello', text_elements: [] }] } });
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, SESSION_TIMEOUT_MS);

  it('builds forms from the schema, sends them and shows the answer or the error', async () => {
    const inspector = await startInspector({ script: [[{ text: 'One.' }], [{ text: 'Two.' }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    page.setDefaultTimeout(20_000);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);
    await openTool(page, 'Request console');

    const methodSelect = page.getByLabel('Method', { exact: true });
    // The console draws the select once schema.json has loaded; reading its groups before that finds none.
    await methodSelect.waitFor();
    const groups = await methodSelect.locator('optgroup').evaluateAll((elements) =>
      elements.map((group) => ({ label: group.getAttribute('label'), options: [...group.querySelectorAll('option')].map((option) => option.textContent) })),
    );
    expect(groups.find((group) => group.label === 'server')).toEqual({ label: 'server', options: ['server/diagnostics (experimental)'] });
    expect(groups.find((group) => group.label === 'turn')).toEqual({ label: 'turn', options: ['turn/start', 'turn/steer', 'turn/interrupt'] });
    await methodSelect.selectOption('thread/start');
    const approval = page.getByLabel('approvalPolicy', { exact: true });
    expect(await approval.locator('option').allTextContents()).toEqual(['(unset)', 'untrusted', 'on-failure', 'on-request', 'never', 'granular (object)']);
    expect(await page.getByLabel('sandbox', { exact: true }).locator('option').allTextContents()).toEqual(['(unset)', 'read-only', 'workspace-write', 'danger-full-access']);
    await approval.selectOption('never');
    await page.getByLabel('ephemeral', { exact: true }).selectOption('false');
    expect(JSON.parse(await page.getByLabel('Params (JSON)').inputValue())).toEqual({ approvalPolicy: 'never', ephemeral: false });
    // A variant tagged by `type` opens its own fields; a list is typed one per line.
    await page.getByLabel('Method', { exact: true }).selectOption('turn/start');
    await page.getByLabel('sandboxPolicy', { exact: true }).selectOption({ label: 'workspaceWrite (object)' });
    await page.getByLabel('writableRoots', { exact: true }).fill('/a\n\n/b\n');
    expect(await page.getByLabel('writableRoots', { exact: true }).inputValue()).toBe('/a\n\n/b\n');
    expect(JSON.parse(await page.getByLabel('Params (JSON)').inputValue())).toEqual({ sandboxPolicy: { type: 'workspaceWrite', writableRoots: ['/a', '/b'] } });
    await page.getByLabel('sandboxPolicy', { exact: true }).selectOption({ label: 'readOnly (object)' });
    expect(JSON.parse(await page.getByLabel('Params (JSON)').inputValue())).toEqual({ sandboxPolicy: { type: 'readOnly' } });
    await screenshot(page, 'request-console-variant');

    const first = (await sendFromConsole(page, 'thread/start', { approvalPolicy: 'never' })) as { thread: { id: string } };
    const second = (await sendFromConsole(page, 'thread/start', {})) as { thread: { id: string } };
    expect(first.thread.id).not.toBe(second.thread.id);
    // A thread is listed once it has a turn.
    for (const { thread } of [first, second]) await sendFromConsole(page, 'turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'Hi', text_elements: [] }] });
    await openTool(page, 'Raw log');
    await page.getByRole('textbox', { name: 'Filter by method' }).fill('turn/completed');
    await expect.poll(() => page.getByRole('list', { name: 'Messages' }).locator(':scope > li').count()).toBe(2);
    await openTool(page, 'Request console');

    await page.getByLabel('Method', { exact: true }).selectOption('thread/list');
    await page.getByLabel('limit', { exact: true }).fill('1');
    expect(JSON.parse(await page.getByLabel('Params (JSON)').inputValue())).toEqual({ limit: 1 });
    const sent = page.getByRole('region', { name: 'Sent requests' }).getByRole('listitem');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => sent.count()).toBe(5);
    const listed = JSON.parse((await page.getByRole('region', { name: 'Response' }).textContent()) ?? '') as unknown;
    expect(listed).toEqual({ data: [expect.objectContaining({ id: second.thread.id, preview: 'Hi', ephemeral: false })], nextCursor: expect.any(String), backwardsCursor: null });
    await screenshot(page, 'request-console-response');
    expect(await toolViolations(page)).toEqual([]);

    // A wrongly typed parameter: the server's invalid-params error, naming the field.
    expect(await sendFromConsole(page, 'thread/list', { limit: 'x' })).toEqual({
      error: {
        code: -32602,
        message: 'Invalid params: limit: Invalid input: expected number, received string',
        data: { issues: [{ path: 'limit', message: 'Invalid input: expected number, received string' }] },
      },
    });
    expect(await page.locator('.console-answer p').textContent()).toMatch(/^thread\/list: error -32602 in \d+ ms$/);

    // The history loads an earlier request back into the form.
    await page.getByRole('button', { name: /^Load thread\/list sent at / }).last().click();
    expect(JSON.parse(await page.getByLabel('Params (JSON)').inputValue())).toEqual({ limit: 1 });
    expect(await page.getByLabel('limit', { exact: true }).inputValue()).toBe('1');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, SESSION_TIMEOUT_MS);
  it('draws only the last 500 rows of a long turn and stays scrolled to the newest', async () => {
    const words = Array.from({ length: 600 }, (_, index) => ({ text: `w${index} ` }));
    const inspector = await startInspector({ script: [words] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    page.setDefaultTimeout(20_000);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);
    await openTool(page, 'Raw log');
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Count');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages.locator('li[data-method="turn/completed"]').waitFor();
    expect(await messages.locator(':scope > li').count()).toBe(500);
    const [shown, total] = /^(\d+) of (\d+) messages \(showing the last 500\)$/.exec((await page.locator('.raw-log-count').textContent()) ?? '')!.slice(1).map(Number);
    expect(shown).toBe(total);
    expect(total).toBeGreaterThan(600);
    const scroller = page.locator('.raw-log-scroll');
    await expect.poll(() => scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)).toBeLessThan(8);
    await screenshot(page, 'raw-log-long-turn');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  }, SESSION_TIMEOUT_MS);
});
