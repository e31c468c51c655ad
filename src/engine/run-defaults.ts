// What threads and turns run with when a request does not say: from config.toml, else from the
// environment (a provider whose API key is set; an OpenAI key stored by `account/login/start`
// arrives here as OPENAI_API_KEY), else the offline scripted provider.
import type { JsonObject } from '../config/config-document.js';
import { keelDefaults, type ResolvedConfig } from '../config/config-store.js';
import { SCRIPTED_MODEL } from '../providers/scripted.js';
import type { SettingsDefaults } from './thread-settings.js';
import type { TurnLimits } from './turns/turn-environment.js';

/** The model a provider's threads use when neither config nor the request names one. */
const DEFAULT_MODELS: Record<string, string> = {
  openai: 'gpt-5',
  anthropic: 'claude-sonnet-4-5',
  scripted: SCRIPTED_MODEL,
};

const DEFAULT_APPROVAL_POLICY = 'on-request';
// Codex's defaults: a new thread reads anywhere, writes nowhere, and asks.
const DEFAULT_SANDBOX = 'read-only';

export function defaultProvider(config: ResolvedConfig, env: NodeJS.ProcessEnv): string {
  if (config.modelProvider) return config.modelProvider;
  if (env.OPENAI_API_KEY) return 'openai';
  if (env.ANTHROPIC_API_KEY) return 'anthropic';
  return 'scripted';
}

export function settingsDefaults(config: ResolvedConfig, env: NodeJS.ProcessEnv, cwd: string): SettingsDefaults {
  const modelProvider = defaultProvider(config, env);
  return {
    modelProvider,
    model: config.model ?? DEFAULT_MODELS[modelProvider] ?? '',
    approvalPolicy: config.approvalPolicy ?? DEFAULT_APPROVAL_POLICY,
    sandbox: config.sandboxMode ?? DEFAULT_SANDBOX,
    cwd,
    baseInstructions: config.instructions,
    developerInstructions: config.developerInstructions,
    reasoningEffort: config.modelReasoningEffort,
  };
}

/**
 * What applies where neither config.toml nor a `-c` flag sets a key, as config keys: `config/read`'s
 * `packagedDefaults` layer. The provider follows the environment's API keys; the model follows the
 * provider in effect (none for a provider Keel knows no model of).
 */
export function configDefaults(config: ResolvedConfig, env: NodeJS.ProcessEnv): JsonObject {
  const model = DEFAULT_MODELS[defaultProvider(config, env)];
  return {
    model_provider: defaultProvider({ ...config, modelProvider: null }, env),
    ...(model ? { model } : {}),
    approval_policy: DEFAULT_APPROVAL_POLICY,
    sandbox_mode: DEFAULT_SANDBOX,
    keel: {
      max_turn_iterations: keelDefaults.maxTurnIterations,
      stream_idle_timeout_ms: keelDefaults.streamIdleTimeoutMs,
      turn_timeout_ms: keelDefaults.turnTimeoutMs,
      max_retries: keelDefaults.maxRetries,
      client_stall_timeout_ms: keelDefaults.clientStallTimeoutMs,
      client_output_limit_bytes: keelDefaults.clientOutputLimitBytes,
      approval_timeout_ms: keelDefaults.approvalTimeoutMs,
      thread_idle_unload_ms: keelDefaults.threadIdleUnloadMs,
      turns_without_clients: keelDefaults.turnsWithoutClients,
    },
  };
}

export function turnLimits(config: ResolvedConfig): TurnLimits {
  return {
    maxIterations: config.keel.maxTurnIterations,
    turnTimeoutMs: config.keel.turnTimeoutMs,
    idleTimeoutMs: config.keel.streamIdleTimeoutMs,
    reasoningSummary: config.modelReasoningSummary,
    retry: { maxRetries: config.keel.maxRetries, baseDelayMs: 200, maxDelayMs: 30_000 },
    fallback: config.keel.fallback,
    clientRequestTimeoutMs: config.keel.approvalTimeoutMs,
    autoCompactTokenLimit: config.modelAutoCompactTokenLimit,
  };
}

/** Said once on stderr when Keel falls back to the scripted provider. */
export const SCRIPTED_NOTE =
  'no model provider configured and no OPENAI_API_KEY or ANTHROPIC_API_KEY set: new threads use the built-in scripted provider, ' +
  'which answers offline. Set one of those keys, sign in with an OpenAI API key (account/login/start), or set `model_provider`/`model` ' +
  '(and `[model_providers.<id>]`) in $KEEL_HOME/config.toml, to use a real model.';
