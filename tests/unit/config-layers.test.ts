import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/config/config-document.js';
import { mergeLayers, overriddenAt, type ConfigLayerView } from '../../src/config/config-layers.js';
import { splitConfigFlag } from '../../src/cli/config-flags.js';
import { ConfigStore } from '../../src/config/config-store.js';

const defaults = (effective: JsonObject): ConfigLayerView => ({ name: { type: 'packagedDefaults', file: '/keel' }, version: 'd', raw: effective, effective });
const user = (effective: JsonObject, raw = effective): ConfigLayerView => ({ name: { type: 'user', file: '/home/config.toml' }, version: 'u', raw, effective });
const flags = (effective: JsonObject): ConfigLayerView => ({ name: { type: 'sessionFlags' }, version: 'f', raw: effective, effective });
const D = { name: { type: 'packagedDefaults', file: '/keel' }, version: 'd' };
const U = { name: { type: 'user', file: '/home/config.toml' }, version: 'u' };
const F = { name: { type: 'sessionFlags' }, version: 'f' };

describe('mergeLayers', () => {
  const table: Array<[name: string, layers: ConfigLayerView[], config: JsonObject, origins: Record<string, unknown>]> = [
    ['no layers', [], {}, {}],
    ['a higher layer replaces a value', [defaults({ model: 'a' }), user({ model: 'b' })], { model: 'b' }, { model: U }],
    [
      'tables merge key by key',
      [defaults({ keel: { max_retries: 4, turn_timeout_ms: 1 } }), user({ keel: { max_retries: 2 } }), flags({ keel: { max_turn_iterations: 3 } })],
      { keel: { max_retries: 2, turn_timeout_ms: 1, max_turn_iterations: 3 } },
      { 'keel.max_retries': U, 'keel.turn_timeout_ms': D, 'keel.max_turn_iterations': F },
    ],
    [
      'a value replaces a table and the origins under it',
      [user({ keel: { max_retries: 2, fallback: [] } }), flags({ keel: 5 })],
      { keel: 5 },
      { keel: F },
    ],
    [
      'a table replaces a value',
      [defaults({ features: true }), flags({ features: { foo: true } })],
      { features: { foo: true } },
      { 'features.foo': F },
    ],
    ['arrays are leaves, replaced whole', [user({ keel: { fallback: [1, 2] } }), flags({ keel: { fallback: [3] } })], { keel: { fallback: [3] } }, { 'keel.fallback': F }],
  ];

  it.each(table)('%s', (_name, layers, config, origins) => {
    const before = structuredClone(layers);
    expect(mergeLayers(layers)).toEqual({ config, origins });
    expect(layers).toEqual(before);
  });
});

describe('overriddenAt', () => {
  const table: Array<[name: string, layers: ConfigLayerView[], keyPath: string, expected: unknown]> = [
    ['no layer above the file', [defaults({ model: 'a' }), user({ model: 'b' })], 'model', null],
    ['the defaults never hide the file', [defaults({ model: 'a' }), user({})], 'model', null],
    ['a flag on another key', [user({ model: 'b' }), flags({ sandbox_mode: 'read-only' })], 'model', null],
    ['a flag with the same value', [user({ model: 'b' }), flags({ model: 'b' })], 'model', null],
    ['a flag on the key', [user({ model: 'b' }), flags({ model: 'c' })], 'model', { message: 'Overridden by session flags', overridingLayer: F, effectiveValue: 'c' }],
    ['a flag over a removed key', [user({}), flags({ model: 'c' })], 'model', { message: 'Overridden by session flags', overridingLayer: F, effectiveValue: 'c' }],
    [
      'a flag inside a written table',
      [user({ keel: { max_retries: 2 } }), flags({ keel: { turn_timeout_ms: 5 } })],
      'keel',
      { message: 'Overridden by session flags', overridingLayer: F, effectiveValue: { max_retries: 2, turn_timeout_ms: 5 } },
    ],
    [
      'a flag that replaces a table on the way',
      [user({ keel: { max_retries: 2 } }), flags({ keel: 5 })],
      'keel.max_retries',
      { message: 'Overridden by session flags', overridingLayer: F, effectiveValue: null },
    ],
  ];

  it.each(table)('%s', (_name, layers, keyPath, expected) => {
    expect(overriddenAt(layers, keyPath)).toEqual(expected);
  });
});

describe('ConfigStore layers', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  function home(configToml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-layers-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.toml'), configToml);
    return dir;
  }

  it('resolves the file under the -c overrides, invalid overrides left out as warnings', () => {
    const store = new ConfigStore(home('model = "file"\n[keel]\nmax_retries = 2\nturn_timeout_ms = 7\n'), {
      overrides: ['model=flag', 'keel.max_retries=1', 'sandbox_mode=yolo'].map(splitConfigFlag),
    });
    expect(store.resolved()).toMatchObject({
      model: 'flag',
      sandboxMode: null,
      keel: { maxRetries: 1, turnTimeoutMs: 7 },
      warnings: [{ path: 'sandbox_mode', message: 'Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"' }],
    });
  });

  it('lists the defaults (computed from the resolved config), the file and the flags, lowest first', () => {
    const dir = home('model_provider = "anthropic"\n');
    const store = new ConfigStore(dir, {
      overrides: [splitConfigFlag('model="m"')],
      defaults: { file: '/opt/keel/dist/keel.cjs', values: (resolved) => ({ model_provider: 'scripted', seen: resolved.model ?? 'none' }) },
    });
    expect(store.layers().map(({ name, raw, effective }) => ({ name, raw, effective }))).toEqual([
      { name: { type: 'packagedDefaults', file: '/opt/keel/dist/keel.cjs' }, raw: { model_provider: 'scripted', seen: 'm' }, effective: { model_provider: 'scripted', seen: 'm' } },
      { name: { type: 'user', file: path.join(dir, 'config.toml') }, raw: { model_provider: 'anthropic' }, effective: { model_provider: 'anthropic' } },
      { name: { type: 'sessionFlags' }, raw: { model: 'm' }, effective: { model: 'm' } },
    ]);
    expect(new ConfigStore(dir).layers().map((layer) => layer.name.type)).toEqual(['user']);
  });
});
