// The three model wires as the provider-faults part drives them: how Keel is pointed at the fake
// model server for each (as tests/scenarios/turns-*.test.ts do), a whole streamed answer, where in it
// the completion event sits, and the wire's error body.
import type { FakeModelServer, FakeResponse, SseFrame } from '../helpers/fake-model-server.js';
import type { TurnHomeOptions } from '../helpers/turns.js';
import { anthropic, chat, responses } from '../helpers/wire-streams.js';

export interface FaultWire {
  name: string;
  route: string;
  /** Home and environment that make Keel's default provider this wire, served by `fake`. */
  setup(fake: FakeModelServer): TurnHomeOptions & { env: Record<string, string> };
  /** A whole answer streaming these deltas. */
  answer(deltas: string[]): SseFrame[];
  /** How many frames of `answer` come before its first delta (then the stream is mid-answer). */
  framesBeforeText: number;
  /** How many frames of `answer` come after its last delta: the completion, and what ends the stream. */
  framesAfterText: number;
  /** The wire's error body: as the HTTP error response, and as the body of a 200. */
  error(status: number, type: string, message: string): FakeResponse & { json: unknown };
}

export const FAULT_WIRES: FaultWire[] = [
  {
    name: 'Responses',
    route: responses.route,
    setup: (fake) => ({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } }),
    answer: (deltas) => responses.stream([responses.message(...deltas)]),
    // response.created, output_item.added | output_text.done, output_item.done, response.completed
    framesBeforeText: 2,
    framesAfterText: 3,
    error: (status, type, message) => responses.error(status, type, message),
  },
  {
    name: 'Chat Completions',
    route: chat.route,
    setup: (fake) => ({
      config: ['model_provider = "fake"', 'model = "fake-model"', '[model_providers.fake]', 'name = "Fake"', `base_url = "${fake.url}/v1"`, 'env_key = "FAKE_API_KEY"', 'wire_api = "chat"'],
      env: { FAKE_API_KEY: 'test-key' },
    }),
    answer: (deltas) => chat.stream([chat.text(...deltas)]),
    // the role chunk | the finish reason, usage, [DONE]
    framesBeforeText: 1,
    framesAfterText: 3,
    error: (status, type, message) => chat.error(status, type, message),
  },
  {
    name: 'Anthropic Messages',
    route: anthropic.route,
    setup: (fake) => ({ env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url } }),
    answer: (deltas) => anthropic.stream([anthropic.text(...deltas)]),
    // message_start, content_block_start, ping | content_block_stop, message_delta, message_stop
    framesBeforeText: 3,
    framesAfterText: 3,
    error: (status, type, message) => anthropic.error(status, type, message),
  },
];
