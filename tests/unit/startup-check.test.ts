import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TomlDocument } from '../../src/config/config-document.js';
import { splitConfigFlag } from '../../src/cli/config-flags.js';
import { startupConfigProblem } from '../../src/config/startup-check.js';
import { unknownKeys } from '../../src/config/unknown-keys.js';

describe('unknownKeys (--strict-config)', () => {
  const table: Array<[name: string, document: TomlDocument, unknown: string[]]> = [
    ['an empty file', {}, []],
    ['known keys', { model: 'm', approval_policy: 'never', keel: { max_retries: 1, fallback: [{ model_provider: 'a', model: 'm' }] } }, []],
    ['a misspelt top-level key', { modle: 'm', model: 'm' }, ['modle']],
    ['keys of [keel] and of its fallback entries', { keel: { max_retry: 1, fallback: [{ model_provider: 'a', model: 'm', weight: 2 }] } }, ['keel.max_retry', 'keel.fallback[0].weight']],
    ['keys of a provider; its headers are free names', { model_providers: { local: { base_url: 'http://x', bogus: 1, http_headers: { 'X-Any': 'v' } } } }, ['model_providers.local.bogus']],
    ['keys of a modelled Codex table', { sandbox_workspace_write: { network_access: true, nope: 1 } }, ['sandbox_workspace_write.nope']],
    ['Codex settings Keel keeps but ignores', { tools: { web_search: true }, browser_use: { x: 1 }, computer_use: {} }, []],
    ['an open table', { desktop: { anything: { at: 'all' } } }, []],
    ['a value of the wrong type is not an unknown key', { keel: 5, model_providers: 'x' }, []],
    ['keys of [store]', { store: { url: 'postgres://db/keel', pool_size: 5, statement_timeout_ms: 1000, connect_timeout_ms: 1000, write_retry_ms: 0, lease_ms: 1000, pool: 3 } }, ['store.pool']],
    ['Codex keys Keel does not model', { profile: 'work', mcp_servers: {} }, ['profile']],
    ['feature flags (experimentalFeature/enablement/set writes them)', { features: { foo: true } }, []],
  ];

  it.each(table)('%s', (_name, document, unknown) => {
    expect(unknownKeys(document)).toEqual(unknown);
  });
});

describe('startupConfigProblem', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function home(configToml: string | null): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-startup-'));
    dirs.push(dir);
    if (configToml !== null) fs.writeFileSync(path.join(dir, 'config.toml'), configToml);
    return dir;
  }

  const overrides = (...args: string[]) => args.map(splitConfigFlag);

  it('accepts valid overrides, and unknown keys when not strict', () => {
    expect(startupConfigProblem({ home: home('modle = "x"\n'), overrides: overrides('model=m', 'features.foo=true', 'keel.max_retries=0'), strict: false })).toBeNull();
    expect(startupConfigProblem({ home: home(null), overrides: [], strict: true })).toBeNull();
  });

  it('refuses a -c value holding a lone surrogate (UTF-8 cannot carry it), naming the flag', () => {
    expect(startupConfigProblem({ home: home(null), overrides: overrides('model=gpt-\ud800'), strict: false })).toBe(
      '-c model=gpt-\ud800: invalid value for model: not well-formed Unicode: a lone surrogate at character 4',
    );
    expect(startupConfigProblem({ home: home(null), overrides: overrides('notes.a=["x", "y\udc00"]'), strict: false })).toBe(
      '-c notes.a=["x", "y\udc00"]: invalid value for notes.a[1]: not well-formed Unicode: a lone surrogate at character 1',
    );
  });

  it('names the -c flag whose value the config refuses', () => {
    const dir = home(null);
    expect(startupConfigProblem({ home: dir, overrides: overrides('model=m', 'sandbox_mode=yolo'), strict: false })).toBe(
      '-c sandbox_mode=yolo: invalid value for sandbox_mode: Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"',
    );
    expect(startupConfigProblem({ home: dir, overrides: overrides('keel={ max_retries = -1 }'), strict: false })).toBe(
      '-c keel={ max_retries = -1 }: invalid value for keel.max_retries: Too small: expected number to be >=0',
    );
    expect(startupConfigProblem({ home: dir, overrides: overrides('keel.fallback.model=m'), strict: false })).toBe(
      '-c keel.fallback.model=m: invalid value for keel.fallback: expected an array',
    );
  });

  it('with --strict-config, names the unknown keys of config.toml, or why it does not parse', () => {
    const dir = home('modle = "x"\n[keel]\nmax_retry = 1\n');
    const file = path.join(dir, 'config.toml');
    expect(startupConfigProblem({ home: dir, overrides: [], strict: true })).toBe(`--strict-config: unknown keys in ${file}: modle, keel.max_retry`);
    fs.writeFileSync(file, 'modle = "x"\n');
    expect(startupConfigProblem({ home: dir, overrides: [], strict: true })).toBe(`--strict-config: unknown key in ${file}: modle`);
    fs.writeFileSync(file, 'model = \n');
    expect(startupConfigProblem({ home: dir, overrides: [], strict: true })).toBe(
      `--strict-config: ${file} is not valid TOML: Invalid TOML document: invalid value (line 1, column 9)`,
    );
  });
});
