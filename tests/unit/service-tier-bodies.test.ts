// Which providers are sent the thread's service tier: the OpenAI Responses API takes `service_tier`;
// Chat Completions endpoints (often not OpenAI's) are not sent it.
import { describe, expect, it } from 'vitest';
import { responsesBody } from '../../src/providers/openai-responses.js';
import { chatBody } from '../../src/providers/openai-chat.js';
import type { ModelRequest } from '../../src/providers/types.js';

const request: ModelRequest = {
  model: 'gpt-5',
  instructions: null,
  conversation: [{ type: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [],
  reasoningEffort: null,
  reasoningSummary: null,
  outputSchema: null,
  cacheKey: 't1',
  parallelToolCalls: false,
};

describe('serviceTier in request bodies', () => {
  it('Responses: service_tier as the thread asked; absent when it asked none', () => {
    expect(responsesBody({ ...request, serviceTier: 'flex' }).service_tier).toBe('flex');
    expect('service_tier' in JSON.parse(JSON.stringify(responsesBody({ ...request, serviceTier: null })))).toBe(false);
    expect('service_tier' in JSON.parse(JSON.stringify(responsesBody(request)))).toBe(false);
  });

  it('Chat Completions: never sent', () => {
    expect('service_tier' in JSON.parse(JSON.stringify(chatBody({ ...request, serviceTier: 'flex' })))).toBe(false);
  });
});
