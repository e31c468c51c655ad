// The environment commands run in: the base environment (Keel's own by default), plus what makes
// tools behave for a reader that is not a terminal — no pagers, no colours, UTF-8 — as Codex sets
// for its exec_command (its UNIFIED_EXEC_ENV). Overrides come last; `null` unsets a variable.
// `defaultCommandEnv` is what a command gets when its caller names no environment: Keel's own
// under the default shell_environment_policy (env-policy.ts), so no key leaks by omission.
import { DEFAULT_ENV_POLICY, shellEnvironment } from './env-policy.js';

export const AGENT_ENV: Readonly<Record<string, string>> = {
  NO_COLOR: '1',
  TERM: 'dumb',
  COLORTERM: '',
  LANG: 'C.UTF-8',
  LC_CTYPE: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GH_PAGER: 'cat',
};

/** Keel's environment under the default policy, with the agent's settings: for a command whose caller gives none. */
export function defaultCommandEnv(tty: boolean): NodeJS.ProcessEnv {
  return agentEnv(shellEnvironment(DEFAULT_ENV_POLICY, process.env), { tty });
}

/** TERM inside a pseudo-terminal: programs there draw for a terminal, so they are told of one. */
export const PTY_TERM = 'xterm-256color';

export interface AgentEnvOptions {
  /** Running in a pseudo-terminal: TERM is `xterm-256color` instead of `dumb`. */
  tty?: boolean;
  /** Applied last: a string sets, `null` unsets. */
  overrides?: Readonly<Record<string, string | null>>;
}

export function agentEnv(base: NodeJS.ProcessEnv = process.env, { tty = false, overrides = {} }: AgentEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...AGENT_ENV };
  if (tty) env.TERM = PTY_TERM;
  return withOverrides(env, overrides);
}

/** `env` with `overrides` applied: a string sets the variable, `null` removes it. */
export function withOverrides(env: NodeJS.ProcessEnv, overrides: Readonly<Record<string, string | null>>): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return out;
}
