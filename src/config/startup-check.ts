// Config problems that stop start-up (exit 2) before Keel serves: a `-c` value the config would
// refuse (a flag is this process's explicit choice, unlike a stale file, whose invalid values are
// only warnings), and with `--strict-config` the keys of config.toml Keel does not know. The server
// loads this module only when the command line has such flags: it needs the config schema, which
// start-up otherwise leaves until after the handshake.
import { checkConfig } from './config-document.js';
import { overridesDocument, type ConfigOverride } from './config-overrides.js';
import { ConfigStore } from './config-store.js';
import { unknownKeys } from './unknown-keys.js';

export interface StartupConfig {
  home: string;
  overrides: readonly ConfigOverride[];
  strict: boolean;
}

/** Whether `problemPath` lies at, inside or on the way to the key an override sets. */
const concerns = (override: ConfigOverride, problemPath: string) =>
  problemPath === override.key ||
  problemPath.startsWith(`${override.key}.`) ||
  problemPath.startsWith(`${override.key}[`) ||
  override.key.startsWith(`${problemPath}.`);

function overrideProblem(overrides: readonly ConfigOverride[]): string | null {
  const [first] = checkConfig(overridesDocument(overrides)).warnings;
  if (first === undefined) return null;
  const culprit = overrides.findLast((override) => concerns(override, first.path));
  const flag = culprit ? `-c ${culprit.key}=${culprit.value}` : '-c';
  return `${flag}: invalid value for ${first.path}: ${first.message}`;
}

function strictProblem(home: string): string | null {
  const snapshot = new ConfigStore(home).snapshot();
  if (snapshot.loadError !== null) return `--strict-config: ${snapshot.loadError}`;
  const unknown = unknownKeys(snapshot.document);
  if (unknown.length === 0) return null;
  return `--strict-config: ${unknown.length === 1 ? 'unknown key' : 'unknown keys'} in ${snapshot.filePath}: ${unknown.join(', ')}`;
}

/** The first reason not to start, as one line for stderr, or null. */
export function startupConfigProblem({ home, overrides, strict }: StartupConfig): string | null {
  return overrideProblem(overrides) ?? (strict ? strictProblem(home) : null);
}
