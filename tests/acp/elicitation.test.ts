// The model's questions to the user (`request_user_input`, offered in Plan mode) through `keel acp`,
// driven by the official SDK's client on the scripted model: an editor that offers forms
// (`clientCapabilities.elicitation.form`) is asked with `elicitation/create`, and its answers reach
// the model (the tool call's result is what the model reads) and the thread's audit trail as the
// app-server's do; a declined form is the question's "no"; an editor without forms is not asked.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CreateElicitationRequest, CreateElicitationResponse, SessionUpdate } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';

// Every message Keel sends (the elicitation requests included) is checked against ACP's published
// schema after each test, which also stops the agents it started (acp-agent.ts).
const QUESTIONS = [
  { id: 'color', header: 'Color', question: 'Which color?', options: [{ label: 'Blue (Recommended)', description: 'calm' }, { label: 'Red', description: 'bold' }] },
  { id: 'size', header: 'Size', question: 'How big?', options: [{ label: 'Small', description: 'fits' }, { label: 'Large', description: 'roomy' }] },
  { id: 'token', header: 'Token', question: 'Your deploy token?', isSecret: true },
];
const ASK = [[{ toolCall: { name: 'request_user_input', callId: 'ask_1', arguments: { questions: QUESTIONS } } }], [{ text: 'Thanks.' }]];
const SECRET_NOTE = 'Secret: ACP forms have no password field, so the editor may show what you type.';

/** The form Keel asks QUESTIONS with: each a required property; choices titled, with Other and its free text (request_user_input offers Other on every question). */
const form = (sessionId: string): CreateElicitationRequest => ({
  mode: 'form',
  sessionId,
  message: 'Which color?\nHow big?\nYour deploy token?',
  requestedSchema: {
    type: 'object',
    properties: {
      color: {
        type: 'string',
        title: 'Color',
        description: 'Which color?',
        oneOf: [
          { const: 'Blue (Recommended)', title: 'Blue (Recommended)', description: 'calm' },
          { const: 'Red', title: 'Red', description: 'bold' },
          { const: '__other__', title: 'Other', description: 'Write your own answer below' },
        ],
      },
      'color.other': { type: 'string', title: 'Color: your answer', description: 'When you chose Other' },
      size: {
        type: 'string',
        title: 'Size',
        description: 'How big?',
        oneOf: [
          { const: 'Small', title: 'Small', description: 'fits' },
          { const: 'Large', title: 'Large', description: 'roomy' },
          { const: '__other__', title: 'Other', description: 'Write your own answer below' },
        ],
      },
      'size.other': { type: 'string', title: 'Size: your answer', description: 'When you chose Other' },
      token: { type: 'string', title: 'Token', description: `Your deploy token? (${SECRET_NOTE})` },
    },
    required: ['color', 'size', 'token'],
  },
});

async function planSession(capabilities: Record<string, unknown>, reply: (request: CreateElicitationRequest) => CreateElicitationResponse) {
  const asked: CreateElicitationRequest[] = [];
  const keel = await startAcpAgent({
    script: ASK,
    client: (app) =>
      app.onRequest('elicitation/create', ({ params }) => {
        asked.push(params);
        return reply(params);
      }),
  });
  await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: capabilities });
  const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
  // request_user_input is a Plan-mode tool.
  await keel.context.request('session/set_mode', { sessionId, modeId: 'plan' });
  expect(await keel.context.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'ask me' }] })).toEqual({ stopReason: 'end_turn' });
  return { keel, sessionId, asked };
}

/** The updates about the question's tool call, in order. */
function callUpdates(keel: AcpAgent): SessionUpdate[] {
  return keel.updates.map((n) => n.update).filter((u) => (u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update') && u.toolCallId === 'ask_1');
}

/**
 * The call's updates when it ended with `text` (what the model read). The question is opened before
 * the call is shown (request_user_input's call is recorded once answered): that updates nothing.
 */
const endedCall = (success: boolean, text: string): SessionUpdate[] => [
  { sessionUpdate: 'tool_call', toolCallId: 'ask_1', title: 'request_user_input', kind: 'other', status: 'in_progress', rawInput: { tool: 'request_user_input', arguments: { questions: QUESTIONS } } },
  { sessionUpdate: 'tool_call_update', toolCallId: 'ask_1', status: success ? 'completed' : 'failed', rawOutput: { success, contentItems: [{ type: 'inputText', text }] } },
];

/** The thread's audit trail of the question, as its log keeps it (read once Keel has stopped). */
async function auditTrail(keel: AcpAgent, threadId: string): Promise<unknown[]> {
  await keel.close();
  const db = new Database(path.join(keel.home, 'keel.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT body FROM events WHERE thread_id = ? AND type IN ('request/opened', 'request/resolved') ORDER BY seq").all(threadId) as Array<{ body: string }>;
    return rows.map((row) => JSON.parse(row.body) as unknown);
  } finally {
    db.close();
  }
}

const trail = (threadId: string, decision: string) => [
  { type: 'request/opened', v: expect.any(Number), threadId, at: expect.any(Number), turnId: expect.any(String), itemId: 'ask_1', requestKey: expect.stringMatching(/^ask_1#/), kind: 'userInput', subject: 'Which color?\nHow big?\nYour deploy token?', reason: null },
  { type: 'request/resolved', v: expect.any(Number), threadId, at: expect.any(Number), turnId: expect.any(String), itemId: 'ask_1', requestKey: expect.stringMatching(/^ask_1#/), kind: 'userInput', decision, by: 'client', subject: 'Which color?\nHow big?\nYour deploy token?' },
];

describe('keel acp: the model asks the user (elicitation/create)', () => {
  it('asks an editor that offers forms with one form; the answers (a choice, the user\'s own words, a secret) reach the model and the audit trail', async () => {
    const { keel, sessionId, asked } = await planSession({ elicitation: { form: {} } }, () => ({
      action: 'accept',
      content: { color: '__other__', 'color.other': 'Green', size: 'Small', token: 's3cret' },
    }));
    // Session-scoped: the call is recorded once answered, so the editor has not been shown it yet.
    expect(asked).toEqual([form(sessionId)]);
    const answers = '{"answers":{"color":{"answers":["Green"]},"size":{"answers":["Small"]},"token":{"answers":["s3cret"]}}}';
    expect(callUpdates(keel)).toEqual(endedCall(true, answers));
    expect(keel.permissions).toEqual([]);
    expect(await auditTrail(keel, sessionId)).toEqual(trail(sessionId, JSON.stringify(JSON.parse(answers).answers)));
    // The answers stay in the thread's history: a session/load in a new process replays the call as it ended.
    const loaded = await startAcpAgent({ home: keel.home });
    await loaded.context.request('initialize', { protocolVersion: 1, clientCapabilities: { elicitation: { form: {} } } });
    await loaded.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] });
    expect(callUpdates(loaded)).toEqual(endedCall(true, answers));
  });

  it('a declined form is the question\'s "no", as an error reply is on the app-server: the model is told the user did not answer', async () => {
    const { keel, sessionId, asked } = await planSession({ elicitation: { form: {}, url: {} } }, () => ({ action: 'decline' }));
    expect(asked).toEqual([form(sessionId)]);
    expect(callUpdates(keel)).toEqual(endedCall(false, 'The user did not answer: the client answered with an error or a malformed result. Go on with your best assumption and say what you assumed.'));
    expect(await auditTrail(keel, sessionId)).toEqual(trail(sessionId, 'malformed'));
  });

  it('an editor without forms is not asked: the question is answered "no" at once, as before', async () => {
    const { keel, sessionId, asked } = await planSession({ elicitation: { url: {} } }, () => ({ action: 'cancel' }));
    expect(asked).toEqual([]);
    expect(callUpdates(keel)).toEqual(endedCall(false, 'The user did not answer: the client answered with an error or a malformed result. Go on with your best assumption and say what you assumed.'));
    expect(await auditTrail(keel, sessionId)).toEqual(trail(sessionId, 'malformed'));
  });
});
