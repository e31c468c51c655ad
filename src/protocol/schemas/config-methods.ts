// config/read, config/value/write and config/batchWrite (Codex v2), and the shape of config.toml.
//
// `Config` is both the wire object `config/read` answers with and the schema Keel's config store
// checks each key of config.toml against (same snake_case keys as Codex's file). The official
// `Config` is open (`additionalProperties: true`): the keys Codex defines are modelled here, so a
// value Codex would not accept never reaches the wire; every other key passes through unchanged.
import * as z from 'zod';
import { AbsolutePath, JsonValue } from './common.js';
import { ConfigValue, limits, wellFormedString } from './limits.js';
import { ReasoningEffort } from './thread-items.js';
import { ApprovalsReviewer, AskForApproval, ReasoningSummary, SandboxMode } from './thread-model.js';

const positiveInt = () => z.number().int().positive();

/** How Keel talks to a provider: OpenAI Responses, OpenAI Chat Completions, or Anthropic Messages. */
export const WireApi = z.enum(['responses', 'chat', 'anthropic']);

export const ModelProviderConfig = z
  .looseObject({
    name: z.string().nullish(),
    base_url: z.string().nullish(),
    env_key: z.string().nullish(),
    wire_api: WireApi.nullish(),
    http_headers: z.record(z.string(), z.string()).nullish(),
    /** Keel extension, Anthropic wire: prompt-cache breakpoints for the 5-minute cache (default), the 1-hour cache, or none. */
    prompt_cache: z.enum(['5m', '1h', 'off']).nullish(),
  })
  .describe('A model provider, `model_providers.<id>` in config.toml (e.g. an OpenAI-compatible endpoint).');

export const FallbackModel = z.looseObject({ model_provider: z.string(), model: z.string() });

export const KeelSettings = z
  .looseObject({
    max_turn_iterations: positiveInt().nullish(),
    stream_idle_timeout_ms: positiveInt().nullish(),
    turn_timeout_ms: positiveInt().nullish(),
    max_retries: z.number().int().nonnegative().nullish(),
    fallback: z.array(FallbackModel).nullish(),
    client_stall_timeout_ms: positiveInt().nullish(),
    client_output_limit_bytes: positiveInt().nullish(),
    approval_timeout_ms: positiveInt().nullish(),
    thread_idle_unload_ms: positiveInt().nullish(),
    turns_without_clients: z.enum(['continue', 'interrupt']).nullish(),
  })
  .describe('Keel extension: the `[keel]` table of config.toml (turn limits, timeouts, retries, fallback models).');

export const StoreSettings = z
  .looseObject({
    url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').nullish(),
    pool_size: positiveInt().nullish(),
    statement_timeout_ms: positiveInt().nullish(),
    connect_timeout_ms: positiveInt().nullish(),
    write_retry_ms: z.number().int().nonnegative().nullish(),
    lease_ms: positiveInt().nullish(),
  })
  .describe('Keel extension: the `[store]` table of config.toml: `url = "postgres://…"` keeps threads in PostgreSQL instead of the SQLite file (KEEL_STORE_URL wins), with its pool and timeouts, and `lease_ms`: how long a thread lease lasts past its owner\'s last beat (KEEL_LEASE_MS wins).');

/** Whether a call to an MCP tool is asked: `auto` as the thread's approval policy says, `prompt` always, `approve` never. */
export const McpApprovalMode = z.enum(['auto', 'prompt', 'approve']);

/** `[mcp_servers.NAME]`, as Codex's: stdio (`command`…) or streamable HTTP (`url`…), never both. */
export const McpServerToml = z
  .looseObject({
    command: z.string().min(1).nullish(),
    args: z.array(z.string()).nullish(),
    env: z.record(z.string(), z.string()).nullish(),
    env_vars: z.array(z.string()).nullish(),
    cwd: z.string().nullish(),
    url: z.string().url().nullish(),
    bearer_token_env_var: z.string().nullish(),
    http_headers: z.record(z.string(), z.string()).nullish(),
    enabled: z.boolean().nullish(),
    startup_timeout_sec: z.number().positive().nullish(),
    startup_timeout_ms: positiveInt().nullish(),
    tool_timeout_sec: z.number().positive().nullish(),
    enabled_tools: z.array(z.string()).nullish(),
    disabled_tools: z.array(z.string()).nullish(),
    default_tools_approval_mode: McpApprovalMode.nullish(),
    tools: z.record(z.string(), z.looseObject({ approval_mode: McpApprovalMode.nullish() })).nullish(),
  })
  .refine((server) => (server.command != null) !== (server.url != null), 'an MCP server needs either `command` (stdio) or `url` (streamable HTTP)')
  .describe('An MCP server, `mcp_servers.<name>` in config.toml: its tools are offered to the model.');

/** `[shell_environment_policy]`, as Codex's: which of Keel's environment variables commands see. */
export const ShellEnvironmentPolicyToml = z
  .looseObject({
    inherit: z.enum(['all', 'core', 'none']).nullish(),
    ignore_default_excludes: z.boolean().nullish(),
    exclude: z.array(z.string()).nullish(),
    set: z.record(z.string(), z.string()).nullish(),
    include_only: z.array(z.string()).nullish(),
    experimental_use_profile: z.boolean().nullish(),
  })
  .describe('Which of Keel\'s environment variables commands see (Codex\'s shell_environment_policy); by default none whose name contains KEY, SECRET or TOKEN.');

const SandboxWorkspaceWrite = z.looseObject({
  writable_roots: z.array(z.string()).optional(),
  network_access: z.boolean().optional(),
  exclude_tmpdir_env_var: z.boolean().optional(),
  exclude_slash_tmp: z.boolean().optional(),
});

/** `[[skills.config]]`: one skill turned on or off, by its SKILL.md path or by name (skills/config/write). */
export const SkillConfigToml = z.looseObject({ path: z.string().nullish(), name: z.string().nullish(), enabled: z.boolean() });

/** Every key of `Config` Keel models, each checked on its own (an invalid one is left out). */
export const configFields = {
  model: z.string().nullish(),
  model_provider: z.string().nullish(),
  model_reasoning_effort: ReasoningEffort.nullish(),
  model_reasoning_summary: ReasoningSummary.nullish(),
  approval_policy: AskForApproval.nullish(),
  approvals_reviewer: ApprovalsReviewer.nullish(),
  sandbox_mode: SandboxMode.nullish(),
  sandbox_workspace_write: SandboxWorkspaceWrite.nullish(),
  shell_environment_policy: ShellEnvironmentPolicyToml.nullish(),
  developer_instructions: z.string().nullish(),
  instructions: z.string().nullish(),
  compact_prompt: z.string().nullish(),
  review_model: z.string().nullish(),
  service_tier: z.string().nullish(),
  model_context_window: z.number().int().nullish(),
  model_auto_compact_token_limit: z.number().int().nullish(),
  model_auto_compact_token_limit_scope: z.enum(['total', 'body_after_prefix']).nullish(),
  model_verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  web_search: z.enum(['disabled', 'cached', 'indexed', 'live']).nullish(),
  client_search_provider: z.enum(['standalone', 'search_mcp']).nullish(),
  forced_login_method: z.enum(['chatgpt', 'api']).nullish(),
  forced_chatgpt_workspace_id: z.union([z.string(), z.array(z.string())]).nullish(),
  analytics: z.looseObject({ enabled: z.boolean().nullish() }).nullish(),
  desktop: z.looseObject({}).nullish(),
  model_providers: z.record(z.string(), ModelProviderConfig).nullish(),
  mcp_servers: z.record(z.string(), McpServerToml).nullish(),
  skills: z.looseObject({ config: z.array(SkillConfigToml).nullish() }).nullish(),
  features: z.record(z.string(), z.boolean()).nullish(),
  keel: KeelSettings.nullish(),
  store: StoreSettings.nullish(),
};

/** Codex settings Keel does not implement and does not model: kept in the file and shown in the
 * user layer, left out of the effective config. */
export const unmodelledCodexKeys: readonly string[] = ['tools', 'browser_use', 'computer_use'];

export const Config = z
  .looseObject(configFields)
  .describe('The effective configuration: Keel\'s defaults, config.toml and the `-c` flags merged (snake_case keys, as Codex\'s), invalid values left out.');

/** Keel's config layers, lowest precedence first: its built-in defaults (`packagedDefaults`, the file
 * being the Keel program that carries them), the user's `$KEEL_HOME/config.toml`, and the
 * `-c`/`--enable`/`--disable` flags of this process (`sessionFlags`). */
export const ConfigLayerSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('packagedDefaults'), file: AbsolutePath }),
  z.object({ type: z.literal('user'), file: AbsolutePath, profile: z.string().nullish() }),
  z.object({ type: z.literal('sessionFlags') }),
]);

export const ConfigLayerMetadata = z.object({ name: ConfigLayerSource, version: z.string() });

export const ConfigLayer = z.object({
  name: ConfigLayerSource,
  version: z.string(),
  config: JsonValue,
  disabledReason: z.string().nullish(),
});

export const MergeStrategy = z.enum(['replace', 'upsert']);

/** What a write puts in config.toml is bounded, see limits.ts. */
export const ConfigEdit = z.object({ keyPath: wellFormedString(limits.identifier), value: ConfigValue, mergeStrategy: MergeStrategy });

export const ConfigReadParams = z.object({
  includeLayers: z.boolean().optional(),
  cwd: z.string().nullish(),
});

export const ConfigReadResponse = z.object({
  config: Config,
  origins: z.record(z.string(), ConfigLayerMetadata),
  layers: z.array(ConfigLayer).nullish(),
});

export const ConfigValueWriteParams = z.object({
  keyPath: wellFormedString(limits.identifier),
  value: ConfigValue,
  mergeStrategy: MergeStrategy,
  filePath: z.string().nullish(),
  expectedVersion: z.string().nullish(),
});

export const ConfigBatchWriteParams = z.object({
  edits: z.array(ConfigEdit).max(limits.configEdits, {
    error: (issue) => `too many: ${(issue.input as unknown[]).length} edits, the maximum is ${limits.configEdits}`,
  }),
  filePath: z.string().nullish(),
  expectedVersion: z.string().nullish(),
  reloadUserConfig: z.boolean().optional(),
});

export const WriteStatus = z.enum(['ok', 'okOverridden']);

export const OverriddenMetadata = z.object({
  message: z.string(),
  overridingLayer: ConfigLayerMetadata,
  effectiveValue: JsonValue,
});

/** Both writes answer Codex's `ConfigWriteResponse`; a fresh schema per method, since each
 * message type gets its own name in schema/. */
const configWriteResponse = () =>
  z.object({
    status: WriteStatus,
    version: z.string(),
    filePath: AbsolutePath,
    overriddenMetadata: OverriddenMetadata.nullable(),
  });

export const ConfigValueWriteResponse = configWriteResponse();
export const ConfigBatchWriteResponse = configWriteResponse();
