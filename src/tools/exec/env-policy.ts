// Which of Keel's environment variables a command sees: Codex's `shell_environment_policy`
// (config.toml), applied to every command Keel starts for the model, the user (thread/shellCommand)
// and clients (command/exec). In Codex's order: start from `inherit` (all, core, none); drop any
// name containing KEY, SECRET or TOKEN unless `ignore_default_excludes`; drop names matching
// `exclude`; add `set`; then, when `include_only` is given, keep only the names it matches.
// Patterns are globs (`*`, `?`) matched whole and case-insensitively, as Codex matches them.
//
// One difference from Codex: its `ignore_default_excludes` defaults to true (keys pass); Keel's to
// false, so OPENAI_API_KEY, ANTHROPIC_API_KEY and other keys never reach a command unless asked.

export type EnvInherit = 'all' | 'core' | 'none';

export interface ShellEnvironmentPolicy {
  inherit: EnvInherit;
  ignoreDefaultExcludes: boolean;
  exclude: readonly string[];
  set: Readonly<Record<string, string>>;
  includeOnly: readonly string[];
}

export const DEFAULT_ENV_POLICY: ShellEnvironmentPolicy = { inherit: 'all', ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] };

/** `inherit = "core"`: what Codex keeps. */
export const CORE_ENV_VARS: readonly string[] = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', 'USERNAME', 'TMPDIR', 'TEMP', 'TMP'];

/** Dropped unless `ignore_default_excludes`: the names secrets usually go by. */
export const DEFAULT_EXCLUDES: readonly string[] = ['*KEY*', '*SECRET*', '*TOKEN*'];

/** A matcher for glob patterns (`*` any run, `?` one character), whole name, case-insensitive. */
export function envPatternMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const source = patterns.map((pattern) => pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
  const regex = new RegExp(`^(?:${source})$`, 'is');
  return (name) => regex.test(name);
}

/** The environment a command starts from under `policy`, from Keel's own `base`. */
export function shellEnvironment(policy: ShellEnvironmentPolicy, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  const core = new Set(CORE_ENV_VARS);
  const defaults = envPatternMatcher(policy.ignoreDefaultExcludes ? [] : DEFAULT_EXCLUDES);
  const excluded = envPatternMatcher(policy.exclude);
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || policy.inherit === 'none' || (policy.inherit === 'core' && !core.has(name))) continue;
    if (defaults(name) || excluded(name)) continue;
    out[name] = value;
  }
  Object.assign(out, policy.set);
  if (policy.includeOnly.length === 0) return out;
  const kept = envPatternMatcher(policy.includeOnly);
  return Object.fromEntries(Object.entries(out).filter(([name]) => kept(name)));
}
