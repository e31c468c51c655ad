// The secrets Keel holds — provider API keys (OPENAI_API_KEY, ANTHROPIC_API_KEY, each provider's
// `env_key`, MCP bearer tokens), the key stored in auth.json, a WebSocket listener's token — and
// the one function that takes them out of text before it leaves the process: every log line
// (log.ts), every thread event before it is reduced, stored and published (thread-runtime.ts),
// every JSON-RPC error (protocol/errors.ts). A provider that echoes the key ("Incorrect API key
// provided: Bearer sk-…") thus reaches neither a client nor the store nor the log.
//
// One instance for the process (`secrets`): the logger exists before config and auth are read,
// and a key seen anywhere must be hidden everywhere. Values are learnt where Keel reads them
// (start-up, each provider build, a login) and never forgotten: redacting a key no longer used
// costs nothing. Values shorter than MIN_SECRET_CHARS are ignored (a one-letter "key" would
// redact half of every message; no real key is that short).

export const REDACTED = '[REDACTED]';

const MIN_SECRET_CHARS = 8;

export class SecretRedactor {
  private readonly values = new Set<string>();
  /** Longest first, so a key that contains another is replaced whole. */
  private ordered: string[] = [];

  /** Learns secret values (undefined, empty and too-short ones are skipped). */
  remember(...values: ReadonlyArray<string | null | undefined>): void {
    let added = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_CHARS || this.values.has(value)) continue;
      this.values.add(value);
      // As JSON writes it too (a key with `"` or `\` in a log line), when that differs.
      const json = JSON.stringify(value).slice(1, -1);
      if (json !== value) this.values.add(json);
      added = true;
    }
    if (added) this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Learns the values of these environment variables. */
  rememberEnv(env: Readonly<Record<string, string | undefined>>, names: Iterable<string | null | undefined>): void {
    for (const name of names) if (name) this.remember(env[name]);
  }

  get size(): number {
    return this.values.size;
  }

  /** `text` with every known secret replaced by [REDACTED]; the same string when it holds none. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** `value` with every string in it redacted; the same reference when nothing needed to change. */
  redactDeep<T>(value: T): T {
    if (this.ordered.length === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const next = this.walk(value[i]);
        if (next !== value[i]) (copy ??= [...value])[i] = next;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    for (const [key, child] of Object.entries(value)) {
      const next = this.walk(child);
      if (next !== child) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
    }
    return copy ?? value;
  }
}

/** The process's secrets. */
export const secrets = new SecretRedactor();

/** The provider keys every Keel reads from its environment. */
export const PROVIDER_KEY_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;
