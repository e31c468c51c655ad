// The flow in one browser test, against the Keel `keel inspect` starts (scripted model,
// approval policy untrusted): open the page, start a thread, send a prompt, see the answer's text
// while the turn is still running (the model wrote it, then asked to apply a patch, and the
// approval dialog waits), approve the patch and see its diff, interrupt a turn that stalls, then
// filter the raw log by method. Every frame the page receives is checked against the protocol's
// schema (page-conformance.ts). Each step waits on the accessible names of COMMON-26's contract.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { PAGE_WAIT, browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector } from '../helpers/inspector.js';
import { checkPageFrames, type PageConformance } from '../helpers/page-conformance.js';

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n';
const SCRIPT = [
  // Turn 1: text, then a patch the untrusted policy must ask about; once applied, a last word.
  [{ text: 'I will add ' }, { text: 'hello.txt for you.' }, { toolCall: { name: 'apply_patch', arguments: { input: PATCH } } }],
  [{ text: 'Added hello.txt.' }],
  // Turn 2: starts answering, then stalls until interrupted.
  [{ text: 'Thinking for a long time' }, { stall: true }],
];

/** The agent messages' rendered Markdown in a turn, as read. */
async function agentTexts(turn: Locator): Promise<string[]> {
  return (await turn.locator('[data-item-type="agentMessage"] .markdown').allTextContents()).map((text) => text.trim());
}

describe.skipIf(noBrowserReason !== null)('keel inspect: the issue flow in a browser', () => {
  const browser = browserPerFile();

  it('starts a thread, streams, approves a patch and shows its diff, interrupts, filters the raw log', { timeout: 120_000 }, async () => {
    const inspector = await startInspector({ script: SCRIPT, args: ['-c', 'approval_policy="untrusted"'] });
    const errors: string[] = [];
    let conformance: PageConformance | null = null;
    const page = await openPage(browser(), inspector.url, errors, { beforeNavigation: (opened) => void (conformance = checkPageFrames(opened)) });

    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), PAGE_WAIT).toMatch(/^connected to keel-inspector\//);
    await page.getByRole('button', { name: 'New thread' }).click();
    const threadRows = page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]');
    await expect.poll(() => threadRows.count(), PAGE_WAIT).toBe(1);

    // Turn 1: the text shows while the turn waits on the patch's approval.
    await page.getByLabel('Message').fill('Add a hello file');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn1 = page.getByRole('region', { name: 'Turn 1' });
    const dialog = page.getByRole('dialog', { name: 'Approval requested' });
    await dialog.waitFor();
    expect(await turn1.getAttribute('data-turn-status')).toBe('inProgress');
    expect(await agentTexts(turn1)).toEqual(['I will add hello.txt for you.']);
    await expect.poll(() => threadRows.first().textContent(), PAGE_WAIT).toContain('waiting for approval');
    await screenshot(page, 'flow-approval');
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The patch applied: its diff in the thread, the file on disk, the last word, the turn done.
    const diff = turn1.locator('[data-item-type="fileChange"] table[aria-label^="Diff of"]');
    await diff.first().waitFor();
    expect(await diff.first().getAttribute('aria-label')).toMatch(/^Diff of (.*\/)?hello\.txt$/);
    expect(await diff.first().textContent()).toContain('hi');
    await expect.poll(() => turn1.getAttribute('data-turn-status'), PAGE_WAIT).toBe('completed');
    expect(await agentTexts(turn1)).toEqual(['I will add hello.txt for you.', 'Added hello.txt.']);
    expect(fs.readFileSync(path.join(inspector.home, 'hello.txt'), 'utf8')).toBe('hi\n');
    await screenshot(page, 'flow-diff');

    // Turn 2 stalls; Interrupt ends it.
    await page.getByLabel('Message').fill('Think for a long time');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn2 = page.getByRole('region', { name: 'Turn 2' });
    await expect.poll(() => agentTexts(turn2), PAGE_WAIT).toEqual(['Thinking for a long time']);
    const interrupt = page.getByRole('button', { name: 'Interrupt' });
    await expect.poll(() => interrupt.isEnabled(), PAGE_WAIT).toBe(true);
    await interrupt.click();
    await expect.poll(() => turn2.getAttribute('data-turn-status'), PAGE_WAIT).toBe('interrupted');
    await expect.poll(() => interrupt.isEnabled(), PAGE_WAIT).toBe(false);
    await screenshot(page, 'flow-interrupted');

    // The raw log, filtered to one method: only its rows remain, the page's request among them.
    await page.getByRole('tab', { name: 'Raw log' }).click();
    const rows = page.getByRole('list', { name: 'Messages' }).locator('li[data-method]');
    await expect.poll(() => rows.count(), PAGE_WAIT).toBeGreaterThan(10);
    await page.getByRole('textbox', { name: 'Filter by method' }).fill('turn/interrupt');
    await expect.poll(async () => new Set(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-method')))), PAGE_WAIT).toEqual(new Set(['turn/interrupt']));
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-direction')))).toContain('out');
    await screenshot(page, 'flow-log');

    const checked = conformance as PageConformance | null;
    expect(checked!.violations).toEqual([]);
    expect(checked!.checked).toBeGreaterThan(20);
    for (const method of ['thread/started', 'turn/started', 'item/agentMessage/delta', 'item/fileChange/requestApproval', 'turn/completed']) expect(checked!.methods).toContain(method);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});
