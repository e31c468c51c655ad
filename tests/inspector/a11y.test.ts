// The Inspector page under axe-core in three states: connected with no thread, a thread with items
// (Markdown, code), and an approval dialog open. The full report goes to
// test-artifacts/inspector/axe-report.json (kept by CI), a one-line summary per state is printed,
// and any serious or critical violation fails the test. axe is injected past the page's CSP in a
// context that bypasses it (the page itself never needs that).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAGE_WAIT, artifactsDir, browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { repoRoot } from '../helpers/conformance.js';
import { startInspector } from '../helpers/inspector.js';

const axePath = path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js');

const SCRIPT = [
  [{ reasoningSummary: 'Reading the request.' }, { text: '# Plan\n\nRun `ls`, then:\n\n```ts\nconst answer = 42;\n```\n\n- one\n- two\n' }],
  [{ text: 'Adding the file.' }, { toolCall: { name: 'apply_patch', arguments: { input: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n' } } }],
];

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

async function runAxe(page: Page): Promise<AxeResult> {
  await page.addScriptTag({ path: axePath });
  // With no context axe checks the whole document. (No DOM types here: the tests compile for Node.)
  return page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run());
}

function summary(state: string, result: AxeResult): string {
  const byImpact: Record<string, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const violation of result.violations) byImpact[violation.impact ?? 'minor'] = (byImpact[violation.impact ?? 'minor'] ?? 0) + violation.nodes.length;
  return `axe ${state}: ${result.violations.length} rule(s) violated; nodes by impact: ${Object.entries(byImpact).map(([impact, count]) => `${impact} ${count}`).join(', ')}`;
}

describe.skipIf(noBrowserReason !== null)('keel inspect: accessibility (axe-core)', () => {
  const browser = browserPerFile();

  it('has no serious or critical axe violations: empty, a thread with items, a dialog open', { timeout: 120_000 }, async () => {
    const inspector = await startInspector({ script: SCRIPT, args: ['-c', 'approval_policy="untrusted"'] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors, { bypassCSP: true });
    const reports: Record<string, AxeResult> = {};

    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), PAGE_WAIT).toMatch(/^connected to /);
    reports.empty = await runAxe(page);
    await screenshot(page, 'a11y-empty');

    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('Plan something');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn1 = page.getByRole('region', { name: 'Turn 1' });
    await expect.poll(() => turn1.getAttribute('data-turn-status'), PAGE_WAIT).toBe('completed');
    reports.thread = await runAxe(page);
    await screenshot(page, 'a11y-thread');

    await page.getByLabel('Message').fill('Add a file');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('dialog', { name: 'Approval requested' }).waitFor();
    reports.dialog = await runAxe(page);
    await screenshot(page, 'a11y-dialog');

    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(path.join(artifactsDir, 'axe-report.json'), JSON.stringify(reports, null, 2) + '\n');
    for (const [state, result] of Object.entries(reports)) console.log(summary(state, result));
    const blocking = Object.entries(reports).flatMap(([state, result]) =>
      result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${state}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(' ')}`),
    );
    expect(blocking).toEqual([]);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});
