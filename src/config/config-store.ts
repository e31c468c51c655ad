// Keel's configuration: `$KEEL_HOME/config.toml`, the same snake_case keys as Codex's config.toml
// plus a `[keel]` table, under the `-c` overrides of this process (the session-flags layer) and over
// Keel's built-in defaults. Every call re-reads the file (a few KB; the parse is reused while the
// bytes are unchanged), so an edit by hand or by another process is seen at once. Invalid values
// are warnings, never failures: they are left out and their defaults apply. Writes go to the file
// only, through a temp file and a rename, guarded by the version (sha256 of the file's bytes) the
// client last read.
import { resolveMcpServers, type ResolvedMcpServer } from './mcp-servers.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'smol-toml';
import type { z } from 'zod';
import type { Config, ModelProviderConfig, WireApi } from '../protocol/schemas/config-methods.js';
import type { AskForApproval, ReasoningSummary, SandboxMode } from '../protocol/schemas/thread-model.js';
import { DEFAULT_CLIENT_OUTPUT_LIMIT_BYTES, DEFAULT_CLIENT_STALL_TIMEOUT_MS } from '../kernel/client-limits.js';
import { DomainError } from '../kernel/errors.js';
import { DEFAULT_ENV_POLICY, type ShellEnvironmentPolicy } from '../tools/exec/env-policy.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../kernel/private-files.js';
import { mergeLayers, type ConfigLayerView } from './config-layers.js';
import { overridesDocument, type ConfigOverride } from './config-overrides.js';
import {
  applyEdits,
  checkConfig,
  copyDocument,
  toJson,
  touches,
  type ConfigEdit,
  type ConfigWarning,
  type JsonObject,
  type TomlDocument,
} from './config-document.js';

export type { ConfigEdit, ConfigWarning } from './config-document.js';

export const CONFIG_FILE_NAME = 'config.toml';

/** What Keel uses when `[keel]` leaves a setting out (or sets it to an invalid value). */
export const keelDefaults = {
  maxTurnIterations: 50,
  streamIdleTimeoutMs: 300_000,
  turnTimeoutMs: 3_600_000,
  maxRetries: 4,
  clientStallTimeoutMs: DEFAULT_CLIENT_STALL_TIMEOUT_MS,
  clientOutputLimitBytes: DEFAULT_CLIENT_OUTPUT_LIMIT_BYTES,
  approvalTimeoutMs: 600_000,
  threadIdleUnloadMs: 60_000,
  turnsWithoutClients: 'continue',
} as const;

export interface ConfigSnapshot {
  filePath: string;
  exists: boolean;
  /** `sha256:<hex>` of the file's bytes; an absent file has the hash of no bytes. */
  version: string;
  /** The file as parsed (`{}` when absent or unreadable). Shared: do not mutate. */
  document: TomlDocument;
  /** The whole file as JSON: the user layer. */
  layer: JsonObject;
  /** Every valid value, unknown keys kept, invalid ones left out: what `config/read` answers. */
  effective: JsonObject;
  warnings: ConfigWarning[];
  /** Why the file could not be read or parsed; writes are refused until it is fixed by hand. */
  loadError: string | null;
}

export interface ResolvedProvider {
  id: string;
  /** Display name; the id when the file gives none. */
  name: string;
  baseUrl: string | null;
  /** Environment variable holding the API key. */
  envKey: string | null;
  /** Default `responses`. */
  wireApi: z.output<typeof WireApi>;
  httpHeaders: Record<string, string>;
  /** `prompt_cache` (Anthropic wire); null when not set: the provider's default. */
  promptCache: NonNullable<z.output<typeof ModelProviderConfig>['prompt_cache']> | null;
  /**
   * Names no endpoint (no `base_url`, `wire_api` or `env_key`): under a built-in provider's id it
   * tunes that provider (`prompt_cache`, `http_headers`) instead of replacing it.
   */
  settingsOnly: boolean;
}

/** The configuration as the turn engine reads it: typed, camelCase, Keel defaults filled in. */
export interface ResolvedConfig {
  version: string;
  model: string | null;
  modelProvider: string | null;
  modelReasoningEffort: string | null;
  modelReasoningSummary: z.output<typeof ReasoningSummary> | null;
  approvalPolicy: z.output<typeof AskForApproval> | null;
  sandboxMode: z.output<typeof SandboxMode> | null;
  /** Compact before a model call that would hold more tokens than this (`model_auto_compact_token_limit`). */
  modelAutoCompactTokenLimit: number | null;
  developerInstructions: string | null;
  instructions: string | null;
  modelProviders: Record<string, ResolvedProvider>;
  /** `[mcp_servers.*]`, in file order. */
  mcpServers: ResolvedMcpServer[];
  /** `[shell_environment_policy]`: the environment commands start from. */
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  keel: {
    maxTurnIterations: number;
    streamIdleTimeoutMs: number;
    turnTimeoutMs: number;
    maxRetries: number;
    fallback: Array<{ modelProvider: string; model: string }>;
    clientStallTimeoutMs: number;
    /** A connection whose output not yet taken by its client passes this is dropped. */
    clientOutputLimitBytes: number;
    /** How long an approval or question waits for the client before it is declined. */
    approvalTimeoutMs: number;
    /** How long a thread no turn runs in stays in memory after its last change. */
    threadIdleUnloadMs: number;
    /** What a running turn does when its last client goes away. */
    turnsWithoutClients: 'continue' | 'interrupt';
  };
  /** `[store]`: where threads are kept (null url: the SQLite file) and the PostgreSQL pool's settings (null: its defaults). */
  store: {
    url: string | null;
    poolSize: number | null;
    statementTimeoutMs: number | null;
    connectTimeoutMs: number | null;
    writeRetryMs: number | null;
    /** How long a thread lease lasts past its owner's last beat (null: KEEL_LEASE_MS, else 15 s). */
    leaseMs: number | null;
  };
  warnings: ConfigWarning[];
}

export interface WriteOptions {
  /** Refuse the write unless the file's current version is this one. */
  expectedVersion?: string | null;
  /** Only the user config file is writable; any other path is refused. */
  filePath?: string | null;
}

export interface WriteResult {
  filePath: string;
  version: string;
}

export interface ConfigStoreOptions {
  /** Called when a newly read file has invalid values or cannot be loaded (once per content). */
  onProblems?: (snapshot: ConfigSnapshot) => void;
  /** `-c key=value` overrides, in command-line order: the session-flags layer, above the file. */
  overrides?: readonly ConfigOverride[];
  /** Keel's built-in defaults as config keys (some follow other keys: a provider's default model),
   * shown by `config/read` as the `packagedDefaults` layer named after `file`. */
  defaults?: { file: string; values: (resolved: ResolvedConfig) => JsonObject };
}

/** A layer that is not a file: its version is the hash of its values. */
function computedLayer(name: ConfigLayerView['name'], values: JsonObject, effective = values): ConfigLayerView {
  return { name, version: versionOf(Buffer.from(JSON.stringify(values))), raw: values, effective };
}

export function versionOf(bytes: Buffer | null): string {
  return `sha256:${crypto.createHash('sha256').update(bytes ?? Buffer.alloc(0)).digest('hex')}`;
}

function parseToml(bytes: Buffer, filePath: string): { document: TomlDocument; loadError: string | null } {
  try {
    return { document: copyDocument(parse(bytes.toString('utf8'), { unsafeKeyBehaviour: 'drop' })) as TomlDocument, loadError: null };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    const { line, column } = error as { line?: number; column?: number };
    const where = line === undefined ? '' : ` (line ${line}, column ${column})`;
    return { document: {}, loadError: `${filePath} is not valid TOML: ${message}${where}` };
  }
}

function realDir(file: string): string {
  try {
    return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return file;
  }
}

function userLayer(snapshot: ConfigSnapshot): ConfigLayerView {
  return { name: { type: 'user', file: snapshot.filePath }, version: snapshot.version, raw: snapshot.layer, effective: snapshot.effective };
}

function resolveEnvPolicy(toml: z.output<typeof Config>['shell_environment_policy']): ShellEnvironmentPolicy {
  return {
    inherit: toml?.inherit ?? DEFAULT_ENV_POLICY.inherit,
    ignoreDefaultExcludes: toml?.ignore_default_excludes ?? DEFAULT_ENV_POLICY.ignoreDefaultExcludes,
    exclude: toml?.exclude ?? [],
    set: toml?.set ?? {},
    includeOnly: toml?.include_only ?? [],
  };
}

function resolve(snapshot: ConfigSnapshot, flags: ConfigLayerView | null, flagWarnings: ConfigWarning[]): ResolvedConfig {
  const c = (flags === null ? snapshot.effective : mergeLayers([userLayer(snapshot), flags]).config) as z.output<typeof Config>;
  const keel = c.keel ?? {};
  const providers = Object.entries(c.model_providers ?? {}).map(([id, p]): [string, ResolvedProvider] => [
    id,
    {
      id,
      name: p.name ?? id,
      baseUrl: p.base_url ?? null,
      envKey: p.env_key ?? null,
      wireApi: p.wire_api ?? 'responses',
      httpHeaders: p.http_headers ?? {},
      promptCache: p.prompt_cache ?? null,
      settingsOnly: p.base_url == null && p.wire_api == null && p.env_key == null,
    },
  ]);
  return {
    version: snapshot.version,
    model: c.model ?? null,
    modelProvider: c.model_provider ?? null,
    modelReasoningEffort: c.model_reasoning_effort ?? null,
    modelReasoningSummary: c.model_reasoning_summary ?? null,
    approvalPolicy: c.approval_policy ?? null,
    sandboxMode: c.sandbox_mode ?? null,
    modelAutoCompactTokenLimit: c.model_auto_compact_token_limit ?? null,
    developerInstructions: c.developer_instructions ?? null,
    instructions: c.instructions ?? null,
    modelProviders: Object.fromEntries(providers),
    mcpServers: resolveMcpServers(c.mcp_servers),
    shellEnvironmentPolicy: resolveEnvPolicy(c.shell_environment_policy),
    keel: {
      maxTurnIterations: keel.max_turn_iterations ?? keelDefaults.maxTurnIterations,
      streamIdleTimeoutMs: keel.stream_idle_timeout_ms ?? keelDefaults.streamIdleTimeoutMs,
      turnTimeoutMs: keel.turn_timeout_ms ?? keelDefaults.turnTimeoutMs,
      maxRetries: keel.max_retries ?? keelDefaults.maxRetries,
      fallback: (keel.fallback ?? []).map((f) => ({ modelProvider: f.model_provider, model: f.model })),
      clientStallTimeoutMs: keel.client_stall_timeout_ms ?? keelDefaults.clientStallTimeoutMs,
      clientOutputLimitBytes: keel.client_output_limit_bytes ?? keelDefaults.clientOutputLimitBytes,
      approvalTimeoutMs: keel.approval_timeout_ms ?? keelDefaults.approvalTimeoutMs,
      threadIdleUnloadMs: keel.thread_idle_unload_ms ?? keelDefaults.threadIdleUnloadMs,
      turnsWithoutClients: keel.turns_without_clients ?? keelDefaults.turnsWithoutClients,
    },
    store: {
      url: c.store?.url ?? null,
      poolSize: c.store?.pool_size ?? null,
      statementTimeoutMs: c.store?.statement_timeout_ms ?? null,
      connectTimeoutMs: c.store?.connect_timeout_ms ?? null,
      writeRetryMs: c.store?.write_retry_ms ?? null,
      leaseMs: c.store?.lease_ms ?? null,
    },
    warnings: [...snapshot.warnings, ...flagWarnings],
  };
}

export class ConfigStore {
  /** Absolute path of the user config file, `$KEEL_HOME/config.toml`. */
  readonly filePath: string;
  private cached: { bytes: Buffer | null; snapshot: ConfigSnapshot; resolved?: ResolvedConfig } | undefined;
  /** The session-flags layer; fixed for the life of the process. */
  private readonly flags: ConfigLayerView | null;
  private readonly flagWarnings: ConfigWarning[];

  constructor(
    home: string,
    private readonly options: ConfigStoreOptions = {},
  ) {
    this.filePath = path.join(path.resolve(home), CONFIG_FILE_NAME);
    const overrides = options.overrides ?? [];
    const raw = overridesDocument(overrides);
    const { effective, warnings } = checkConfig(raw);
    this.flags = overrides.length === 0 ? null : computedLayer({ type: 'sessionFlags' }, raw, effective);
    this.flagWarnings = warnings;
  }

  /** The file as it is now. */
  snapshot(): ConfigSnapshot {
    let bytes: Buffer | null = null;
    let readError: string | null = null;
    try {
      bytes = fs.readFileSync(this.filePath);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code !== 'ENOENT') readError = `cannot read ${this.filePath}: ${message}`;
    }
    const cached = this.cached;
    if (readError === null && cached && (bytes === null ? cached.bytes === null : cached.bytes?.equals(bytes))) return cached.snapshot;
    const snapshot = this.build(bytes, readError);
    this.cached = readError === null ? { bytes, snapshot } : undefined;
    if (snapshot.warnings.length > 0 || snapshot.loadError !== null) this.options.onProblems?.(snapshot);
    return snapshot;
  }

  /** Typed settings (the file under the `-c` overrides) with Keel's `[keel]` defaults, for the turn engine. */
  resolved(): ResolvedConfig {
    const snapshot = this.snapshot();
    const cached = this.cached;
    if (cached?.snapshot === snapshot) return (cached.resolved ??= resolve(snapshot, this.flags, this.flagWarnings));
    return resolve(snapshot, this.flags, this.flagWarnings);
  }

  /** Every layer, lowest precedence first: the defaults, the user file, the session flags (when given). */
  layers(): ConfigLayerView[] {
    const { defaults } = this.options;
    return [
      ...(defaults ? [computedLayer({ type: 'packagedDefaults', file: defaults.file }, defaults.values(this.resolved()))] : []),
      userLayer(this.snapshot()),
      ...(this.flags ? [this.flags] : []),
    ];
  }

  /**
   * Applies the edits in order and writes the file atomically. Refused (DomainError, nothing
   * written) for another file, a version conflict, a file that does not parse, or an edit that
   * leaves an invalid value at the key it wrote.
   */
  write(edits: readonly ConfigEdit[], options: WriteOptions = {}): WriteResult {
    this.checkTarget(options.filePath);
    const current = this.snapshot();
    if (current.loadError !== null) throw new DomainError('conflict', `cannot write the config: ${current.loadError}; fix the file by hand first`);
    const expected = options.expectedVersion;
    if (expected !== undefined && expected !== null && expected !== current.version) {
      throw new DomainError('conflict', `config version conflict: expected ${expected}, found ${current.version}`);
    }
    if (edits.length === 0) return { filePath: this.filePath, version: current.version };
    const next = applyEdits(current.document, edits);
    const invalid = checkConfig(next).warnings.filter((w) => edits.some((edit) => touches(w, edit.keyPath)));
    if (invalid.length > 0) {
      throw new DomainError('invalid', `invalid config value: ${invalid.map((w) => `${w.path}: ${w.message}`).join('; ')}`);
    }
    const bytes = Buffer.from(stringify(next), 'utf8');
    try {
      this.writeAtomically(bytes);
    } catch (error) {
      throw new DomainError('unavailable', `cannot write ${this.filePath}: ${(error as Error).message}`);
    }
    this.cached = { bytes, snapshot: this.build(bytes, null) };
    return { filePath: this.filePath, version: this.cached.snapshot.version };
  }

  private build(bytes: Buffer | null, readError: string | null): ConfigSnapshot {
    const { document, loadError } = bytes === null ? { document: {}, loadError: readError } : parseToml(bytes, this.filePath);
    const { effective, warnings } = checkConfig(document);
    return {
      filePath: this.filePath,
      exists: bytes !== null,
      version: versionOf(bytes),
      document,
      layer: toJson(document) as JsonObject,
      effective,
      warnings,
      loadError,
    };
  }

  private checkTarget(filePath: string | null | undefined): void {
    if (filePath === undefined || filePath === null) return;
    const requested = path.resolve(filePath);
    if (requested === this.filePath || realDir(requested) === realDir(this.filePath)) return;
    throw new DomainError('invalid', `config file not writable: ${filePath} (only the user config ${this.filePath} can be written)`);
  }

  private writeAtomically(bytes: Buffer): void {
    makePrivateDir(path.dirname(this.filePath));
    let target = this.filePath;
    let mode = PRIVATE_FILE_MODE;
    try {
      target = fs.realpathSync(this.filePath);
      mode = fs.statSync(target).mode & 0o777;
    } catch {
      // No file yet: create it.
    }
    const temp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = fs.openSync(temp, 'wx', mode);
      try {
        fs.writeFileSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, target);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }
}
