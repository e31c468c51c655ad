// The server-request dialogs the scripted model cannot provoke (an MCP elicitation, a dynamic
// tool call, a request the page does not know) and a request resolved elsewhere: the test sits
// in the page's WebSocket (playwright's routeWebSocket), passes everything through to the real
// Keel, and plays the server for the requests it injects, reading the page's answers.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserPerFile, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { startInspector } from '../helpers/inspector.js';

/** expect.poll with room for a loaded machine (browsers and Keels share two cores in CI). */
const poll = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });
const THREAD = '01a24efb-0000-7000-8000-000000000000';

const injected = [
  {
    id: 'e1',
    method: 'mcpServer/elicitation/request',
    params: {
      threadId: THREAD,
      turnId: null,
      serverName: 'crm',
      mode: 'form',
      message: 'Who are you?',
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string', title: 'Name' }, age: { type: 'integer', title: 'Age' }, subscribe: { type: 'boolean', title: 'Subscribe' }, plan: { type: 'string', title: 'Plan', enum: ['free', 'pro'] } },
        required: ['name'],
      },
      _meta: null,
    },
  },
  { id: 't1', method: 'item/tool/call', params: { threadId: THREAD, turnId: 'turn-1', callId: 'call-1', namespace: null, tool: 'lookup', arguments: { query: 'keel' } } },
  { id: 'u1', method: 'x/unknown', params: { anything: 1 } },
  { id: 'c1', method: 'item/commandExecution/requestApproval', params: { threadId: THREAD, turnId: 'turn-1', itemId: 'item-1', kind: 'command', startedAtMs: 0, environmentId: null, command: 'ls', cwd: '/tmp' } },
];

describe.skipIf(noBrowserReason !== null)('keel inspect: server-request dialogs', { timeout: 90_000 }, () => {
  const browser = browserPerFile();

  it('one dialog at a time, oldest first: elicitation form, tool call result, error reply, and a request resolved elsewhere closes', async () => {
    const inspector = await startInspector({ script: [] });
    const errors: string[] = [];
    const replies: unknown[] = [];
    let toPage: (message: string) => void = () => undefined;
    const intercept = (opened: Page) =>
      opened.routeWebSocket(/\/ws$/, (socket) => {
        const server = socket.connectToServer();
        toPage = (message) => socket.send(message);
        server.onMessage((message) => socket.send(message));
        socket.onMessage((message) => {
          const parsed = JSON.parse(String(message));
          if (injected.some((request) => request.id === parsed.id)) replies.push(parsed);
          else server.send(message);
        });
      });
    const page = await openPage(browser(), inspector.url, errors, { beforeNavigation: intercept });
    await poll(() => page.getByRole('status', { name: 'Connection' }).textContent()).toMatch(/^connected to /);
    for (const request of injected) toPage(JSON.stringify(request));

    const elicitation = page.getByRole('dialog', { name: 'Elicitation' });
    await elicitation.waitFor();
    expect(await elicitation.locator('.request-method').textContent()).toBe('mcpServer/elicitation/request · 3 more waiting');
    await elicitation.getByLabel('Name').fill('Ada');
    await elicitation.getByLabel('Age').fill('36');
    await elicitation.getByLabel('Subscribe').check();
    await elicitation.getByLabel('Plan').selectOption('pro');
    await screenshot(page, 'elicitation');
    await elicitation.getByRole('button', { name: 'Accept' }).click();
    await poll(() => replies.length).toBe(1);
    expect(replies[0]).toEqual({ id: 'e1', result: { action: 'accept', content: { name: 'Ada', age: 36, subscribe: true, plan: 'pro' } } });

    const toolCall = page.getByRole('dialog', { name: 'Tool call' });
    await toolCall.waitFor();
    expect(JSON.parse((await toolCall.getByLabel('Arguments').textContent())!)).toEqual({ query: 'keel' });
    await toolCall.getByLabel('Result').fill('not found');
    await toolCall.getByRole('radio', { name: 'Failure' }).check();
    await toolCall.getByRole('button', { name: 'Send result' }).click();
    await poll(() => replies.length).toBe(2);
    expect(replies[1]).toEqual({ id: 't1', result: { contentItems: [{ type: 'inputText', text: 'not found' }], success: false } });

    const other = page.getByRole('dialog', { name: 'Server request' });
    await other.waitFor();
    await other.getByRole('button', { name: 'Reply with error' }).click();
    await poll(() => replies.length).toBe(3);
    expect(replies[2]).toEqual({ id: 'u1', error: { code: -32601, message: 'the Inspector cannot answer x/unknown' } });

    const approval = page.getByRole('dialog', { name: 'Approval requested' });
    await approval.waitFor();
    // No availableDecisions: Codex's default list.
    expect(await approval.getByRole('button').allTextContents()).toEqual(['Accept', 'Accept for session', 'Decline', 'Cancel']);
    toPage(JSON.stringify({ method: 'serverRequest/resolved', params: { threadId: THREAD, requestId: 'c1' } }));
    await poll(() => approval.count()).toBe(0);
    expect(replies).toHaveLength(3);
    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});

