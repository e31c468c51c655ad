// `$KEEL_HOME/auth.json`: the OpenAI API key a client signed in with (`account/login/start
// {type: "apiKey"}`). The file has Codex's shape — `{"OPENAI_API_KEY": "sk-…"}` — so a Codex
// auth.json copied over works too. It is written atomically with mode 0600 (the home, when Keel
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

export type StoredKeys = Partial<Record<typeof OPENAI_KEY_VARIABLE, string>>;

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
    const key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[OPENAI_KEY_VARIABLE] : undefined;
    if (typeof key !== 'string' || key === '') return {};
    secrets.remember(key);
    return { [OPENAI_KEY_VARIABLE]: key };
  }

  /** Stores the OpenAI key, replacing the whole file (as Codex does). Throws the file system's error. */
  saveOpenAiKey(apiKey: string): void {
    secrets.remember(apiKey);
    makePrivateDir(this.home);
    const temp = path.join(path.dirname(this.filePath), `.${AUTH_FILE_NAME}.${process.pid}.${crypto.randomUUID()}.tmp`);
    try {
      fs.writeFileSync(temp, `${JSON.stringify({ [OPENAI_KEY_VARIABLE]: apiKey }, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
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
