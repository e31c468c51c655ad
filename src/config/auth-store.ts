// `$KEEL_HOME/auth.json`: the API keys a client signed in with (`account/login/start
// {type: "apiKey"}`, with Keel's `modelProvider` extension for other providers than OpenAI), each
// under the environment variable its provider reads. The file has Codex's shape —
// `{"OPENAI_API_KEY": "sk-…"}`, other providers' keys beside it — so a Codex auth.json copied over
// works too. It is written atomically with mode 0600 (the home, when Keel
// creates it, gets 0700), read afresh on every use, and its contents never reach a log or an error
// message: a file that does not parse is reported by name only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../kernel/private-files.js';
import { secrets } from '../kernel/redact.js';

export const AUTH_FILE_NAME = 'auth.json';

/** The environment variable whose value the stored key stands in for. */
export const OPENAI_KEY_VARIABLE = 'OPENAI_API_KEY';

/** Stored keys by the environment variable each stands in for. */
export type StoredKeys = Partial<Record<string, string>>;

/** What an entry of the file must be named to be a key: an environment variable's name (Codex's
 * own file also holds `tokens` and `last_refresh`, which are not keys). */
const KEY_NAME = /^[A-Z][A-Z0-9_]*$/;

export interface AuthStoreHooks {
  /** A problem reading the file; `message` never contains the file's contents. */
  onProblem?: (message: string) => void;
}

export class AuthStore {
  readonly filePath: string;

  constructor(
    private readonly home: string,
    private readonly hooks: AuthStoreHooks = {},
  ) {
    this.filePath = path.join(path.resolve(home), AUTH_FILE_NAME);
  }

  /** The stored keys, named by the environment variable each stands in for; empty when there are none. */
  keys(): StoredKeys {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.hooks.onProblem?.(`cannot read ${this.filePath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      return {};
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the input, which is the key: say only where the problem is.
      this.hooks.onProblem?.(`${this.filePath} is not valid JSON; ignoring it`);
      return {};
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const keys: StoredKeys = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (!KEY_NAME.test(name) || typeof value !== 'string' || value === '') continue;
      secrets.remember(value);
      keys[name] = value;
    }
    return keys;
  }

  /** Stores the OpenAI key. Throws the file system's error. */
  saveOpenAiKey(apiKey: string): void {
    this.saveKey(OPENAI_KEY_VARIABLE, apiKey);
  }

  /**
   * Stores a provider's key under the variable it reads, keeping the other providers' keys; the
   * file is rewritten whole (atomically, 0600). Throws the file system's error.
   */
  saveKey(variable: string, apiKey: string): void {
    if (!KEY_NAME.test(variable)) throw new Error(`not an environment variable name: ${variable}`);
    secrets.remember(apiKey);
    makePrivateDir(this.home);
    const keys = { ...this.keys(), [variable]: apiKey };
    const temp = path.join(path.dirname(this.filePath), `.${AUTH_FILE_NAME}.${process.pid}.${crypto.randomUUID()}.tmp`);
    try {
      fs.writeFileSync(temp, `${JSON.stringify(keys, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      fs.renameSync(temp, this.filePath);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }

  /** Removes the file; false when there was none. */
  remove(): boolean {
    if (!fs.existsSync(this.filePath)) return false;
    fs.rmSync(this.filePath, { force: true });
    return true;
  }
}

/**
 * The environment providers read their keys from: the process environment, with stored keys
 * filling the variables it leaves unset or empty (a key set in the environment always wins).
 */
export function withStoredKeys<E extends Readonly<Record<string, string | undefined>>>(env: E, stored: StoredKeys): E {
  const filled: Record<string, string> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (value && !env[name]) filled[name] = value;
  }
  return Object.keys(filled).length === 0 ? env : { ...env, ...filled };
}
