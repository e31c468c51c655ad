// The schema check every ACP test runs (acp-schema.ts, applied to each line by acp-agent.ts): it
// accepts what ACP's published schema accepts and names what it rejects; and on a real `keel acp`
// it saw every line and found nothing wrong.
import { describe, expect, it } from 'vitest';
import { acpMessageProblem } from '../helpers/acp-schema.js';
import { startAcpAgent } from '../helpers/acp-agent.js';

const asked = new Map<unknown, string>([[1, 'initialize'], [2, 'session/prompt']]);
const methodOf = (id: unknown) => asked.get(id);
const chunk = (update: object) => ({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's1', update } });

describe('ACP schema check', () => {
  it('accepts valid responses, notifications, agent requests and errors', () => {
    expect([
      acpMessageProblem({ jsonrpc: '2.0', id: 1, result: { protocolVersion: 1, agentCapabilities: {}, authMethods: [] } }, methodOf),
      acpMessageProblem({ jsonrpc: '2.0', id: 2, result: { stopReason: 'end_turn' } }, methodOf),
      acpMessageProblem(chunk({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'hi' } }), methodOf),
      acpMessageProblem({ jsonrpc: '2.0', id: 0, method: 'session/request_permission', params: { sessionId: 's1', toolCall: { toolCallId: 't1' }, options: [{ optionId: 'a', name: 'Allow', kind: 'allow_once' }] } }, methodOf),
      acpMessageProblem({ jsonrpc: '2.0', id: 7, error: { code: -32601, message: 'Method not found' } }, methodOf),
    ]).toEqual([null, null, null, null, null]);
  });

  it('rejects what the schema rejects, picking a response\'s type by its request\'s method', () => {
    expect(acpMessageProblem({ id: 1, result: {} }, methodOf)).toMatch(/^not an ACP agent message: .*jsonrpc/);
    expect(acpMessageProblem({ jsonrpc: '2.0', id: 2, result: { stopReason: 'finished' } }, methodOf)).toMatch(/^session\/prompt response: \/stopReason/);
    // The same result answering initialize is wrong: the type follows the request.
    expect(acpMessageProblem({ jsonrpc: '2.0', id: 1, result: { stopReason: 'end_turn' } }, methodOf)).toMatch(/^initialize response: .*protocolVersion/);
    expect(acpMessageProblem(chunk({ sessionUpdate: 'agent_message_chunk' }), methodOf)).toMatch(/^session\/update notification: .*content/);
    expect(acpMessageProblem({ jsonrpc: '2.0', id: 99, result: {} }, methodOf)).toBe('a response to id 99, which the client never sent');
    expect(acpMessageProblem({ jsonrpc: '2.0', method: 'keel/whatever', params: {} }, methodOf)).toBe('the schema has no notification type for keel/whatever');
    expect(acpMessageProblem({ jsonrpc: '2.0', id: 3, error: { code: 'bad', message: 'x' } }, methodOf)).toMatch(/^(error object|not an ACP agent message): /);
  });

  it('checks every line a real keel acp writes', async () => {
    const keel = await startAcpAgent({ script: [[{ reasoningSummary: 'thinking' }, { text: 'ok' }]] });
    await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
    await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'hi' }] });
    await keel.context.request('session/list', {});
    expect(await keel.close()).toBe(0);
    expect(keel.lines.length).toBeGreaterThan(4);
    expect(keel.problems).toEqual([]);
  });
});
