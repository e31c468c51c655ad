// `keel acp` lists every configured provider's models for its `model` config option at
// session/new|load — once per process, the listing is kept — so a test on a fake OpenAI server
// scripts that listing beside the model's answers, and looks at the model calls without it.
import type { FakeModelServer } from './fake-model-server.js';

/** Scripts the one /v1/models listing a `keel acp` process asks the fake OpenAI server for. */
export function listModelsOnce(fake: FakeModelServer): void {
  fake.script('/v1/models', [{ json: { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1, owned_by: 'openai' }] } }]);
}

/** The model calls the fake server saw, without the listing. */
export function modelCalls(fake: FakeModelServer): FakeModelServer['calls'] {
  return fake.calls.filter((call) => call.path !== '/v1/models');
}
