import { describe, expect, it } from 'vitest';
import { featureFlag, splitConfigFlag } from '../../src/cli/config-flags.js';
import { overridesDocument, parseOverrideValue, type ConfigOverride } from '../../src/config/config-overrides.js';

describe('-c key=value', () => {
  const splits: Array<[arg: string, override: ConfigOverride]> = [
    ['model=gpt-5', { key: 'model', value: 'gpt-5' }],
    ['keel.max_retries=1', { key: 'keel.max_retries', value: '1' }],
    ['  model  =  "gpt-5"  ', { key: 'model', value: '"gpt-5"' }],
    ['developer_instructions="a=b"', { key: 'developer_instructions', value: '"a=b"' }],
    ['model=', { key: 'model', value: '' }],
  ];

  it.each(splits)('splits %j at the first =', (arg, override) => {
    expect(splitConfigFlag(arg)).toEqual(override);
  });

  const refused: Array<[arg: string, message: string]> = [
    ['model', "missing '=' (expected key=value)"],
    ['=gpt-5', 'empty key (expected key=value)'],
    ['  =1', 'empty key (expected key=value)'],
    ['keel..max_retries=1', 'keel..max_retries is not a dotted key path'],
    ['.model=1', '.model is not a dotted key path'],
    ['__proto__.polluted=1', '__proto__.polluted is not a dotted key path'],
  ];

  it.each(refused)('refuses %j', (arg, message) => {
    expect(() => splitConfigFlag(arg)).toThrow(new Error(message));
  });

  const values: Array<[text: string, value: unknown]> = [
    ['"gpt-5"', 'gpt-5'],
    ["'C:\\path'", 'C:\\path'],
    ['gpt-5', 'gpt-5'],
    ['on-request', 'on-request'],
    ['hello world', 'hello world'],
    ['', ''],
    ['"unterminated', '"unterminated'],
    ['1', 1],
    ['-1', -1],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['true', true],
    ['false', false],
    ['[1, 2, 3]', [1, 2, 3]],
    ['["a", "b"]', ['a', 'b']],
    ['[]', []],
    ['{ a = 1, b = "x" }', { a: 1, b: 'x' }],
    ['{ model_provider = "openai", model = "gpt-5-mini" }', { model_provider: 'openai', model: 'gpt-5-mini' }],
    ['{ a = { b = [true] } }', { a: { b: [true] } }],
    ['[{ model_provider = "a", model = "m" }]', [{ model_provider: 'a', model: 'm' }]],
    ['2024-05-01', '2024-05-01'],
    ['1\nother = 2', '1\nother = 2'],
    ['{ __proto__ = 1, a = 2 }', { a: 2 }],
  ];

  it.each(values)('parses %j as TOML, else as a literal string', (text, value) => {
    expect(parseOverrideValue(text)).toEqual(value);
  });

  const documents: Array<[name: string, overrides: ConfigOverride[], document: unknown]> = [
    ['none', [], {}],
    [
      'dotted keys make tables',
      [splitConfigFlag('model="m"'), splitConfigFlag('keel.max_retries=1'), splitConfigFlag('model_providers.local.base_url=http://x')],
      { model: 'm', keel: { max_retries: 1 }, model_providers: { local: { base_url: 'http://x' } } },
    ],
    ['a later override of the same key wins', [splitConfigFlag('model=a'), splitConfigFlag('model=b')], { model: 'b' }],
    ['a dotted key replaces a value that is not a table', [splitConfigFlag('keel=1'), splitConfigFlag('keel.max_retries=2')], { keel: { max_retries: 2 } }],
    ['a dotted key extends an inline table', [splitConfigFlag('keel={ max_retries = 1 }'), splitConfigFlag('keel.turn_timeout_ms=5')], { keel: { max_retries: 1, turn_timeout_ms: 5 } }],
    ['an inline table replaces the table', [splitConfigFlag('keel.max_retries=1'), splitConfigFlag('keel={ turn_timeout_ms = 5 }')], { keel: { turn_timeout_ms: 5 } }],
    ['--enable and --disable are features.F=true|false', [featureFlag('foo', true), featureFlag('bar', false)], { features: { foo: true, bar: false } }],
  ];

  it.each(documents)('builds the session-flags layer: %s', (_name, overrides, document) => {
    expect(overridesDocument(overrides)).toEqual(document);
  });
});
