// Driving a thread from the Inspector, in chromium against a real `keel inspect` on the scripted
// model: the composer's choices as they go on the wire, approvals in dialogs (a patch with its
// diff, a declined command, a command accepted for the session), interrupt, steer, and the usage
// panel's numbers checked against the usage notifications the page received.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector, type RunningInspector } from '../helpers/inspector.js';

interface Frame {
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
}

/** A page on the inspector, with every WebSocket frame it sends and receives, parsed. */
interface DrivenPage {
  page: Page;
  sent: Frame[];
  received: Frame[];
  errors: string[];
}

/** expect.poll with room for a loaded machine (browsers and Keels share two cores in CI). */
const poll = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

const EXEC = (cmd: string) => ({ toolCall: { name: 'exec_command', arguments: { cmd, login: false, yield_time_ms: 30000 } } });
const ADD_HELLO = { toolCall: { name: 'apply_patch', arguments: { input: '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n' } } };

describe.skipIf(noBrowserReason !== null)('keel inspect: driving a thread', { timeout: 90_000 }, () => {
  const browser = browserPerFile();

  async function drive(inspector: RunningInspector): Promise<DrivenPage> {
    const sent: Frame[] = [];
    const received: Frame[] = [];
    const errors: string[] = [];
    const listen = (opened: Page) =>
      void opened.on('websocket', (socket) => {
        socket.on('framesent', ({ payload }) => sent.push(JSON.parse(String(payload))));
        socket.on('framereceived', ({ payload }) => received.push(JSON.parse(String(payload))));
      });
    const page = await openPage(browser(), inspector.url, errors, { beforeNavigation: listen });
    const driven: DrivenPage = { page, sent, received, errors };
    await poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);
    return driven;
  }

  /** Types a message, optionally sets the approval policy, and sends it (no thread open: Send starts one). */
  async function send(page: Page, text: string, approvalPolicy?: string): Promise<void> {
    if (approvalPolicy !== undefined) await page.getByLabel('Approval policy').selectOption(approvalPolicy);
    await page.getByLabel('Message').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  const turnStatus = (page: Page) => page.locator('[data-turn-status]').last().getAttribute('data-turn-status');
  const methodsOf = (frames: Frame[], method: string) => frames.filter((frame) => frame.method === method);

  it('sends to the thread "New thread" started even before the page redraws: one thread/start, not two', async () => {
    const inspector = await startInspector({ script: [[{ text: 'Hi.' }]] });
    const { page, sent, received, errors } = await drive(inspector);
    // The page redraws on the next animation frame after the model changes: those frames are held,
    // so the composer still shows "no thread open" when Send is clicked after thread/start's answer.
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    await page.evaluate(() => {
      const held: FrameRequestCallback[] = [];
      const original = window.requestAnimationFrame.bind(window);
      Object.assign(window, { heldFrames: held, originalFrame: original });
      window.requestAnimationFrame = (callback) => held.push(callback);
    });
    await page.getByLabel('Message').fill('hello');
    await page.getByRole('button', { name: 'New thread' }).click();
    await poll(() => received.some((frame) => frame.id === methodsOf(sent, 'thread/start')[0]?.id && frame.result !== undefined)).toBe(true);
    await page.getByRole('button', { name: 'Send' }).click();
    await poll(() => methodsOf(sent, 'turn/start').length).toBe(1);
    await page.evaluate(() => {
      const { heldFrames, originalFrame } = window as unknown as { heldFrames: FrameRequestCallback[]; originalFrame: typeof requestAnimationFrame };
      window.requestAnimationFrame = originalFrame;
      for (const callback of heldFrames.splice(0)) originalFrame(callback);
    });
    await poll(() => turnStatus(page)).toBe('completed');
    const started = received.find((frame) => frame.id === methodsOf(sent, 'thread/start')[0]!.id)!.result.thread.id;
    expect(methodsOf(sent, 'thread/start')).toHaveLength(1);
    expect(methodsOf(sent, 'turn/start').map((frame) => frame.params.threadId)).toEqual([started]);
    await poll(() => page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('sends only the composer choices the user changed, in turn/start shapes, starting a thread when none is open; shows a refusal', async () => {
    const inspector = await startInspector({ script: [[{ text: 'one' }], [{ text: 'two' }]] });
    const { page, sent, errors } = await drive(inspector);
    await poll(() => page.getByLabel('Reasoning effort').locator('option').allTextContents()).toEqual(['default', 'low', 'medium', 'high']);
    // Ctrl+Enter in the message sends it.
    await page.getByLabel('Message').fill('first');
    await page.getByLabel('Message').press('Control+Enter');
    await poll(() => turnStatus(page)).toBe('completed');
    const threadId = methodsOf(sent, 'turn/start')[0]!.params.threadId;
    expect(methodsOf(sent, 'thread/start').map((frame) => frame.params)).toEqual([{}]);
    expect(methodsOf(sent, 'turn/start')[0]!.params).toEqual({ threadId, input: [{ type: 'text', text: 'first', text_elements: [] }] });

    await page.getByLabel('Reasoning effort').selectOption('high');
    await page.getByLabel('Sandbox').selectOption('read-only');
    await send(page, 'second', 'never');
    await poll(() => page.locator('[data-turn-status="completed"]').count()).toBe(2);
    expect(methodsOf(sent, 'turn/start')[1]!.params).toEqual({
      threadId,
      input: [{ type: 'text', text: 'second', text_elements: [] }],
      effort: 'high',
      approvalPolicy: 'never',
      sandboxPolicy: { type: 'readOnly' },
    });
    // A request the server refuses: its message under the composer.
    await send(page, 'a'.repeat(1_048_577));
    await poll(() => page.getByRole('form', { name: 'Composer' }).getByRole('alert').textContent()).toBe('Input exceeds the maximum length of 1048576 characters.');
    expect((await page.getByLabel('Message').inputValue()).length).toBe(1_048_577);
    await screenshot(page, 'composer-choices');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('shows a pending patch with its diff in the approval dialog; Accept writes the file', async () => {
    const inspector = await startInspector({ script: [[ADD_HELLO], [{ text: 'Added hello.txt.' }]] });
    const { page, received, errors } = await drive(inspector);
    await send(page, 'add a greeting', 'untrusted');
    const dialog = page.getByRole('dialog', { name: 'Approval requested' });
    await dialog.waitFor();
    const diff = dialog.getByRole('table', { name: /^Diff of .*hello\.txt$/ });
    await diff.waitFor();
    expect(await diff.locator('td').allTextContents()).toEqual(['', '1', '+hi']);
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Accept', 'Accept for session', 'Decline', 'Cancel']);
    // Focus moved into the dialog: its first decision.
    expect(await dialog.getByRole('button', { name: 'Accept', exact: true }).evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
    await screenshot(page, 'approval-with-diff');
    await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
    await poll(() => turnStatus(page)).toBe('completed');
    await poll(() => dialog.count()).toBe(0);
    const file = page.locator('[data-item-type="fileChange"]');
    expect(await file.count()).toBe(1);
    const completed = methodsOf(received, 'item/completed').find((frame) => frame.params.item.type === 'fileChange')!;
    expect(completed.params.item.status).toBe('completed');
    expect(fs.readFileSync(path.join(inspector.home, 'hello.txt'), 'utf8')).toBe('hi\n');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('refuses a command from its dialog with Escape (Cancel, as the request offers no Decline): the item ends declined, the command does not run', async () => {
    const inspector = await startInspector({ script: [[EXEC('touch refused.txt')], [{ text: 'Not run.' }]] });
    const { page, received, errors } = await drive(inspector);
    await send(page, 'make a file', 'untrusted');
    const dialog = page.getByRole('dialog', { name: 'Approval requested' });
    await dialog.waitFor();
    const asked = methodsOf(received, 'item/commandExecution/requestApproval')[0]!.params;
    expect(asked.availableDecisions).toEqual(['accept', 'acceptForSession', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch', 'refused.txt'] } }, 'cancel']);
    expect(await dialog.locator('dd').allTextContents()).toEqual([asked.command, asked.cwd, 'touch refused.txt']);
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Accept', 'Accept for session', 'Accept and remember rule', 'Cancel']);
    await screenshot(page, 'command-approval');
    await page.keyboard.press('Escape');
    await poll(() => methodsOf(received, 'item/completed').find((frame) => frame.params.item.type === 'commandExecution')?.params.item.status).toBe('declined');
    // Cancel, as in Codex, also ends the turn.
    await poll(() => turnStatus(page)).toBe('interrupted');
    expect(await dialog.count()).toBe(0);
    expect(fs.existsSync(path.join(inspector.home, 'refused.txt'))).toBe(false);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('accepts a command for the session: the same command again is not asked about', async () => {
    const inspector = await startInspector({ script: [[EXEC('touch session.txt')], [EXEC('touch session.txt')], [{ text: 'Twice.' }]] });
    const { page, received, errors } = await drive(inspector);
    // Outside any sandbox, so the commands run wherever the test runs (untrusted still asks).
    await page.getByLabel('Sandbox').selectOption('danger-full-access');
    await send(page, 'touch it twice', 'untrusted');
    const dialog = page.getByRole('dialog', { name: 'Approval requested' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Accept for session' }).click();
    await poll(() => turnStatus(page)).toBe('completed');
    expect(methodsOf(received, 'item/commandExecution/requestApproval')).toHaveLength(1);
    const commands = methodsOf(received, 'item/completed').filter((frame) => frame.params.item.type === 'commandExecution');
    expect(commands.map((frame) => frame.params.item.status)).toEqual(['completed', 'completed']);
    expect(fs.existsSync(path.join(inspector.home, 'session.txt'))).toBe(true);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('interrupts a long turn', async () => {
    const inspector = await startInspector({ script: [[{ text: 'working' }, { stall: true }]] });
    const { page, sent, errors } = await drive(inspector);
    await send(page, 'take your time');
    const interrupt = page.getByRole('button', { name: 'Interrupt' });
    await poll(() => interrupt.isEnabled()).toBe(true);
    await screenshot(page, 'turn-running');
    await interrupt.click();
    await poll(() => turnStatus(page)).toBe('interrupted');
    const turnId = await page.locator('[data-turn-status]').last().getAttribute('data-turn-id');
    expect(methodsOf(sent, 'turn/interrupt').map((frame) => frame.params)).toEqual([{ threadId: methodsOf(sent, 'turn/start')[0]!.params.threadId, turnId }]);
    await poll(() => interrupt.isEnabled()).toBe(false);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('steers a running turn: the input joins it and the model answers again', async () => {
    const inspector = await startInspector({ script: [[{ text: 'first' }, { stall: true }], [{ text: 'second' }]] });
    const { page, sent, errors } = await drive(inspector);
    await send(page, 'go');
    const steer = page.getByRole('button', { name: 'Steer' });
    await poll(() => steer.isEnabled()).toBe(true);
    await page.getByLabel('Message').fill('also this');
    await steer.click();
    await poll(() => turnStatus(page)).toBe('completed');
    const turnId = await page.locator('[data-turn-status]').last().getAttribute('data-turn-id');
    expect(methodsOf(sent, 'turn/steer').map((frame) => frame.params)).toEqual([
      { threadId: methodsOf(sent, 'turn/start')[0]!.params.threadId, input: [{ type: 'text', text: 'also this', text_elements: [] }], expectedTurnId: turnId },
    ]);
    await poll(() => page.locator('[data-item-type="agentMessage"]').allTextContents()).toEqual(['first', 'second']);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it("answers the model's questions (request_user_input, offered in Plan mode) in the Questions dialog", async () => {
    const questions = [
      { id: 'color', header: 'Colour', question: 'Which colour?', options: [{ label: 'Red', description: 'warm' }, { label: 'Blue', description: 'cool' }] },
      { id: 'name', header: 'Name', question: 'What name?', isOther: false },
      { id: 'token', header: 'Token', question: 'Your token?', isSecret: true, isOther: false },
    ];
    const inspector = await startInspector({ script: [[{ toolCall: { name: 'request_user_input', arguments: { questions } } }], [{ text: 'Thanks.' }]] });
    const { page, sent, errors } = await drive(inspector);
    await page.getByLabel('Collaboration mode').selectOption('plan');
    await send(page, 'ask me');
    const dialog = page.getByRole('dialog', { name: 'Questions' });
    await dialog.waitFor();
    expect(methodsOf(sent, 'turn/start')[0]!.params.collaborationMode).toEqual({ mode: 'plan', settings: { model: 'scripted' } });
    expect(await dialog.locator('legend').allTextContents()).toEqual(['Colour', 'Name', 'Token']);
    // Keel marks a question isOther unless the model says otherwise: Red, Blue and Other.
    expect(await dialog.getByRole('radio').count()).toBe(3);
    await dialog.getByRole('radio', { name: /^Blue/ }).check();
    await dialog.getByRole('group', { name: 'Name' }).getByLabel('Answer').fill('Keel');
    const secret = dialog.getByRole('group', { name: 'Token' }).getByLabel('Answer');
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill('s3cret');
    await screenshot(page, 'questions');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await poll(() => turnStatus(page)).toBe('completed');
    const answer = sent.find((frame) => frame.id !== undefined && frame.method === undefined && frame.result?.answers !== undefined);
    expect(answer?.result).toEqual({ answers: { color: { answers: ['Blue'] }, name: { answers: ['Keel'] }, token: { answers: ['s3cret'] } } });
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });

  it('shows usage per turn and for the thread, as the usage notifications reported it, with a chart', async () => {
    const inspector = await startInspector({ script: [[{ text: 'Hello there.' }], [{ text: 'And again, a longer answer this time.' }]] });
    const { page, received, errors } = await drive(inspector);
    await send(page, 'hi');
    await poll(() => turnStatus(page)).toBe('completed');
    await send(page, 'once more');
    await poll(() => page.locator('[data-turn-status="completed"]').count()).toBe(2);
    await page.getByRole('tab', { name: 'Usage' }).click();
    const updates = methodsOf(received, 'thread/tokenUsage/updated').map((frame) => frame.params);
    expect(updates).toHaveLength(2);
    const n = (tokens: number) => tokens.toLocaleString('en-US');
    const table = page.getByRole('table', { name: 'Usage per turn' });
    await poll(() => table.locator('tbody tr').count()).toBe(2);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual(
      updates.map(({ tokenUsage: { last } }, i) => [String(i + 1), n(last.inputTokens), n(last.cachedInputTokens), n(last.outputTokens), n(last.reasoningOutputTokens), n(last.totalTokens), '—']),
    );
    const { total, last, modelContextWindow } = updates[1]!.tokenUsage;
    expect(total.totalTokens).toBe(updates[0]!.tokenUsage.last.totalTokens + last.totalTokens);
    const totals = page.getByRole('region', { name: 'Thread usage' });
    expect(await totals.locator('dd').allTextContents()).toEqual([n(total.totalTokens), '—', `${((last.totalTokens / modelContextWindow) * 100).toFixed(1)}%`]);
    const chart = page.getByRole('img', { name: 'Tokens per turn' });
    expect(await chart.locator('title').textContent()).toBe(
      `Tokens per turn: ${updates.map(({ tokenUsage: { last: call } }, i) => `turn ${i + 1}: ${call.inputTokens} input, 0 cached, ${call.outputTokens} output`).join('; ')}`,
    );
    expect(await chart.locator('rect').count()).toBe(4);
    await screenshot(page, 'usage');
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});
