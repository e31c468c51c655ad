// The Inspector end to end at its smallest: keel inspect starts a Keel of its own, the page opens
// in chromium, connects, starts a thread and runs a turn on the scripted model.
import { describe, expect, it } from 'vitest';
import { browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector } from '../helpers/inspector.js';

describe.skipIf(noBrowserReason !== null)('keel inspect: the page', () => {
  const browser = browserPerFile();

  it('connects, starts a thread and shows the streamed answer', async () => {
    const inspector = await startInspector({ script: [[{ text: 'Hello from the ' }, { text: 'scripted model.' }]] });
    const errors: string[] = [];
    const page = await openPage(browser(), inspector.url, errors);
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to keel-inspector\//);
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('Say hello');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.locator('[data-item-type="agentMessage"]');
    await answer.waitFor();
    await expect.poll(() => answer.textContent()).toBe('Hello from the scripted model.');
    await expect.poll(() => page.locator('[data-turn-status]').getAttribute('data-turn-status')).toBe('completed');
    await screenshot(page, 'smoke');
    expect(await page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});
