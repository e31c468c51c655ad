// What a session/prompt's content blocks become in the model's request (seen by a fake OpenAI
// Responses server): text, an image as input_image, a file resource link as a mention, another
// link as its name and address, an embedded text resource fenced, a binary one named; and the
// shapes Keel cannot take refused with -32602 naming the field, before any model call.
import type { ContentBlock } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { startAcpAgent, type AcpAgent } from '../helpers/acp-agent.js';
import { listModelsOnce, modelCalls } from '../helpers/acp-model-listing.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { responses as wire } from '../helpers/wire-streams.js';

const fake = useFakeModelServer();

async function openAiAgent(): Promise<{ keel: AcpAgent; sessionId: string }> {
  const keel = await startAcpAgent({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } });
  await keel.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
  listModelsOnce(fake);
  const { sessionId } = await keel.context.request('session/new', { cwd: keel.home, mcpServers: [] });
  return { keel, sessionId };
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The user message of the model request that carries `marker` (Keel's own context messages come before it). */
function userMessageWith(body: unknown, marker: string): unknown {
  const input = (body as { input: Array<{ role?: string; content?: unknown }> }).input;
  return input.find((item) => item.role === 'user' && JSON.stringify(item.content).includes(marker));
}

describe('keel acp: prompt content', () => {
  it('sends text, an image, resource links and embedded resources to the model as Keel\'s input', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Seen.')]) }]);
    const { keel, sessionId } = await openAiAgent();
    const prompt: ContentBlock[] = [
      { type: 'text', text: 'Look at these (marker-1).' },
      { type: 'image', mimeType: 'image/png', data: PNG },
      { type: 'resource_link', name: 'notes.md', uri: 'file:///work/project/my%20notes.md' },
      { type: 'resource_link', name: 'spec', title: 'The spec', uri: 'https://example.com/spec' },
      { type: 'resource', resource: { uri: 'file:///work/project/a.ts', mimeType: 'text/x-typescript', text: 'const a = "```";' } },
      { type: 'resource', resource: { uri: 'file:///work/project/logo.bin', mimeType: 'application/octet-stream', blob: 'AAEC' } },
    ];
    expect(await keel.context.request('session/prompt', { sessionId, prompt })).toEqual({ stopReason: 'end_turn' });
    expect(userMessageWith(modelCalls(fake)[0]!.body, 'marker-1')).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'Look at these (marker-1).' },
        { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
        { type: 'input_text', text: '@notes.md (/work/project/my notes.md)' },
        { type: 'input_text', text: 'The spec: https://example.com/spec' },
        { type: 'input_text', text: '````file:///work/project/a.ts\nconst a = "```";\n````' },
        { type: 'input_text', text: '(binary resource file:///work/project/logo.bin, application/octet-stream)' },
      ],
    });
  });

  it('replays a prompt\'s text, image and file link as they were sent when session/load opens it in a new process', async () => {
    fake.script(wire.route, [{ sse: wire.stream([wire.message('Seen.')]) }]);
    const { keel, sessionId } = await openAiAgent();
    const prompt: ContentBlock[] = [
      { type: 'text', text: 'Look (marker-2).' },
      { type: 'image', mimeType: 'image/png', data: PNG },
      { type: 'resource_link', name: 'notes.md', uri: 'file:///work/project/my%20notes.md' },
    ];
    await keel.context.request('session/prompt', { sessionId, prompt });
    await keel.close();
    const reopened = await startAcpAgent({ home: keel.home });
    await reopened.context.request('initialize', { protocolVersion: 1, clientCapabilities: {} });
    await reopened.context.request('session/load', { sessionId, cwd: keel.home, mcpServers: [] });
    const replayed = reopened.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'user_message_chunk');
    expect(replayed.map((u) => (u as { content: ContentBlock }).content)).toEqual(prompt);
  });

  it('refuses content it cannot take with -32602 naming the field, and calls no model', async () => {
    const { keel, sessionId } = await openAiAgent();
    const refusal = (prompt: unknown) =>
      keel.context.request('session/prompt', { sessionId, prompt: prompt as ContentBlock[] }).then(
        () => null,
        (error: { code: number; message: string }) => ({ code: error.code, message: error.message }),
      );
    expect(await refusal([{ type: 'text' }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[0].text') });
    expect(await refusal([{ type: 'text', text: 'ok' }, { type: 'image', mimeType: 'image/png' }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[1].data') });
    expect(await refusal([{ type: 'video', data: 'x' }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[0].type') });
    expect(await refusal([{ type: 'resource', resource: { uri: 'file:///a' } }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[0].resource') });
    expect(await refusal([{ type: 'image', mimeType: 'text/plain', data: 'aGk=' }])).toEqual({ code: -32602, message: 'Invalid params: prompt[0].mimeType: an image\'s mimeType must be image/*, not text/plain' });
    expect(await refusal([{ type: 'audio', mimeType: 'audio/wav', data: 'AAAA' }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[0].type: audio is not supported') });
    expect(await refusal([{ type: 'resource_link', name: 'x', uri: 'file://remote-host/x' }])).toEqual({ code: -32602, message: expect.stringContaining('prompt[0].uri: not a file URI Keel can read') });
    expect(await refusal('not a list')).toEqual({ code: -32602, message: expect.stringContaining('prompt') });
    expect(modelCalls(fake)).toEqual([]);
  });
});
