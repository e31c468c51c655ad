// What `config/read` reports for the layers a spawned Keel has: its built-in defaults (named after
// the program, dist/keel.cjs), the user file and the session flags, each with its version.
import crypto from 'node:crypto';
import { keelEntry } from './keel-process.js';

export const sha = (text: string) => `sha256:${crypto.createHash('sha256').update(text).digest('hex')}`;

/** The version of a layer that is not a file: the hash of its values' JSON. */
const computedVersion = (values: unknown) => sha(JSON.stringify(values));

/** Keel's defaults with no API key in the environment (the harness removes them): the scripted provider. */
export const builtInDefaults = {
  model_provider: 'scripted',
  model: 'scripted',
  approval_policy: 'on-request',
  sandbox_mode: 'read-only',
  keel: { max_turn_iterations: 50, stream_idle_timeout_ms: 300_000, turn_timeout_ms: 3_600_000, max_retries: 4, client_stall_timeout_ms: 60_000, client_output_limit_bytes: 67_108_864, approval_timeout_ms: 600_000, thread_idle_unload_ms: 60_000, turns_without_clients: 'continue' },
};

export const defaultsOrigin = (values: object = builtInDefaults) => ({ name: { type: 'packagedDefaults', file: keelEntry }, version: computedVersion(values) });
export const userOrigin = (file: string, version: string) => ({ name: { type: 'user', file }, version });
export const flagsOrigin = (values: object) => ({ name: { type: 'sessionFlags' }, version: computedVersion(values) });

/** The same origin for each key. */
export const originsOf = (keys: readonly string[], origin: object) => Object.fromEntries(keys.map((key) => [key, origin]));

/** Every leaf of the built-in defaults but `except`. */
export const defaultKeys = (...except: string[]) =>
  ['model_provider', 'model', 'approval_policy', 'sandbox_mode', 'keel.max_turn_iterations', 'keel.stream_idle_timeout_ms', 'keel.turn_timeout_ms', 'keel.max_retries', 'keel.client_stall_timeout_ms', 'keel.client_output_limit_bytes', 'keel.approval_timeout_ms', 'keel.thread_idle_unload_ms', 'keel.turns_without_clients'].filter(
    (key) => !except.includes(key),
  );
