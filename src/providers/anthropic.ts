// The Anthropic Messages API (`POST /v1/messages`, streamed). The request body is built in
// anthropic-body.ts (breakpoints: anthropic-cache.ts), the stream mapped in anthropic-stream.ts.
// The SDK is imported on first use only.
import type { Anthropic } from '@anthropic-ai/sdk';
import { anthropicRequest } from './anthropic-body.js';
import { AnthropicMapper, anthropicStreamError } from './anthropic-stream.js';
import { requestFailure, type SdkErrorClasses } from './errors.js';
import { catalogModel } from './model-catalog.js';
import { anthropicRateLimits } from './rate-limits.js';
import { sdkExports } from './sdk-module.js';
import { sseModelStream } from './sse.js';
import type { ModelInfo, ModelProvider, PromptCache } from './types.js';

export { DEFAULT_MAX_TOKENS } from './anthropic-body.js';

export interface AnthropicProviderOptions {
  id: string;
  /** Empty for a keyless compatible endpoint: no Authorization header is sent. */
  apiKey: string;
  baseUrl: string;
  headers?: Record<string, string>;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). */
  timeoutMs?: number;
  /** `max_tokens` for the answer; a thinking budget comes on top. Default 8192. */
  maxTokens?: number;
  /** `prompt_cache` of the provider's config: breakpoints for the 5-minute cache (default), the 1-hour cache, or none. */
  promptCache?: PromptCache;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  let loaded: Promise<{ client: Anthropic; errors: SdkErrorClasses }> | undefined;
  const load = () =>
    (loaded ??= import('@anthropic-ai/sdk').then((loaded) => sdkExports<typeof import('@anthropic-ai/sdk')>(loaded, 'Anthropic')).then((sdk) => ({
      client: new sdk.Anthropic({
        // A key passed in code keeps the SDK from looking for credentials elsewhere; with no key
        // we send none (the null header removes it).
        apiKey: options.apiKey || 'none',
        baseURL: options.baseUrl,
        maxRetries: 0,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        defaultHeaders: { ...options.headers, ...(options.apiKey ? {} : { Authorization: null }) },
      }),
      errors: sdk,
    })));
  return {
    id: options.id,
    toolFamily: 'anthropic',
    async *stream(request, signal) {
      const { client, errors } = await load();
      const { body, betas } = anthropicRequest(request, { maxTokens: options.maxTokens, promptCache: options.promptCache });
      const beta = betaHeader(options.headers, betas);
      yield* sseModelStream({
        signal,
        errors,
        send: () => client.messages.create(body, { signal, ...(beta && { headers: { 'anthropic-beta': beta } }) }),
        streamError: anthropicStreamError,
        rateLimits: anthropicRateLimits,
        mapper: new AnthropicMapper(),
      });
    },
    async listModels(signal) {
      const { client, errors } = await load();
      const models: ModelInfo[] = [];
      try {
        for await (const model of client.models.list({}, { signal })) {
          if (model.lifecycle === 'retired') continue;
          const known = catalogModel(options.id, model.id);
          models.push({
            id: model.id,
            displayName: model.display_name,
            contextWindow: model.max_input_tokens ?? known?.contextWindow ?? null,
            supportsReasoning: model.capabilities?.thinking.supported ?? known?.supportsReasoning ?? false,
            supportsImages: model.capabilities?.image_input.supported ?? known?.supportsImages ?? true,
            supportsTools: true,
          });
        }
      } catch (error) {
        throw requestFailure(error, errors, signal);
      }
      return models;
    },
  };
}

/**
 * The request's `anthropic-beta` header: the betas the provider's own headers name, then the ones
 * this body needs (a request header replaces the client's default one of the same name, so both
 * go in it); null when there are none to add.
 */
function betaHeader(headers: Record<string, string> | undefined, betas: string[]): string | null {
  if (betas.length === 0) return null;
  const configured = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'anthropic-beta')?.[1] ?? '';
  const names = configured.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return [...new Set([...names, ...betas])].join(',');
}
