// The OpenAI SDK client shared by the Responses and Chat Completions adapters, built on first use:
// `import('openai')` runs only when a provider is first asked for something (the bundle keeps
// dynamic imports lazy), so start-up never pays for the SDK.
import type { OpenAI } from 'openai';
import { requestFailure, type SdkErrorClasses, type StreamMapper } from './errors.js';
import { openAIRateLimits } from './rate-limits.js';
import { sseModelStream } from './sse.js';
import { sdkExports } from './sdk-module.js';
import { listedModel } from './model-catalog.js';
import type { SseMessage } from './sse.js';
import type { ModelInfo, ModelProvider, ModelRequest } from './types.js';

export interface OpenAIProviderOptions {
  id: string;
  /** Empty for servers that take no key (ollama, lmstudio): no Authorization header is sent. */
  apiKey: string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). */
  timeoutMs?: number;
  /** Clock for rate-limit reset times; `Date.now` unless a test pins it. */
  now?: () => number;
}

export interface LoadedOpenAI {
  client: OpenAI;
  errors: SdkErrorClasses;
}

export function lazyOpenAI(options: OpenAIProviderOptions): () => Promise<LoadedOpenAI> {
  let loaded: Promise<LoadedOpenAI> | undefined;
  return () =>
    (loaded ??= import('openai').then((loaded) => sdkExports<typeof import('openai')>(loaded, 'OpenAI')).then((sdk) => ({
      client: new sdk.OpenAI({
        // The SDK insists on a key; with none we send none (the null header removes it).
        apiKey: options.apiKey || 'none',
        baseURL: options.baseUrl,
        maxRetries: 0,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        defaultHeaders: { ...options.headers, ...(options.apiKey ? {} : { Authorization: null }) },
        // Configuration is explicit: nothing from OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY
        // may leak into requests, least of all to another vendor's endpoint.
        organization: null,
        project: null,
        adminAPIKey: null,
      }),
      errors: sdk,
    })));
}

/** A provider on one of the OpenAI SDK's streaming wires: `send` makes the request, `mapper` reads it. */
export function openAIWireProvider<Chunk>(
  options: OpenAIProviderOptions,
  toolFamily: ModelProvider['toolFamily'],
  send: (client: OpenAI, request: ModelRequest, signal: AbortSignal) => { asResponse(): Promise<Response> },
  mapper: () => StreamMapper<Chunk>,
): ModelProvider {
  const load = lazyOpenAI(options);
  const now = options.now ?? Date.now;
  return {
    id: options.id,
    toolFamily,
    async *stream(request, signal) {
      const { client, errors } = await load();
      yield* sseModelStream({
        signal,
        errors,
        send: () => send(client, request, signal),
        streamError: openAIStreamError,
        rateLimits: (headers) => openAIRateLimits(headers, now()),
        mapper: mapper(),
      });
    },
    listModels: (signal) => listOpenAIModels(options.id, load, signal),
  };
}

/** How the OpenAI SDK's stream reports a payload carrying `error` (OpenRouter and others send these). */
export function openAIStreamError(errors: SdkErrorClasses, response: Response) {
  return (_message: SseMessage, data: unknown): Error | null => {
    const error = (data as { error?: unknown } | null)?.error;
    if (!error) return null;
    const APIError = errors.APIError as unknown as new (status: undefined, error: unknown, message: undefined, headers: Headers) => Error;
    return new APIError(undefined, error, undefined, response.headers);
  };
}

/** `GET /models`, each id completed from the built-in catalog where it knows the model. */
export async function listOpenAIModels(
  providerId: string,
  load: () => Promise<LoadedOpenAI>,
  signal: AbortSignal,
): Promise<ModelInfo[]> {
  const { client, errors } = await load();
  const models: ModelInfo[] = [];
  try {
    for await (const model of client.models.list({ signal })) models.push(listedModel(providerId, model.id));
  } catch (error) {
    throw requestFailure(error, errors, signal);
  }
  return models;
}
