// The effective config `config/read` sends is built key by key from whatever config.toml holds:
// every key the official Codex `Config` defines must be modelled (or withheld), so that no value
// in the file, however wrong, can put a non-conforming object on the wire.
import fs from 'node:fs';
import { Ajv } from 'ajv';
import { expect, it } from 'vitest';
import { checkConfig } from '../../src/config/config-document.js';
import { configFields, unmodelledCodexKeys } from '../../src/protocol/schemas/config-methods.js';
import { schemaBundlePath } from '../../scripts/codex-protocol-path.js';

const bundle = JSON.parse(fs.readFileSync(schemaBundlePath('stable'), 'utf8'));
const officialKeys = Object.keys(bundle.definitions.v2.Config.properties).sort();

it('models or withholds every key of the official Config', () => {
  const covered = [...Object.keys(configFields), ...unmodelledCodexKeys].filter((key) => officialKeys.includes(key));
  expect(covered.sort()).toEqual(officialKeys);
});

it('builds an effective config that conforms, whatever the file holds', () => {
  const ajv = new Ajv({ strict: false });
  for (const format of ['int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'double', 'float']) ajv.addFormat(format, true);
  ajv.addSchema(bundle, 'codex');
  const validate = ajv.getSchema('codex#/definitions/v2/Config')!;
  const granular = { sandbox_approval: true, rules: true, mcp_elicitations: false, extra: 1 };
  const values = [1, -1, 1.5, 'x', '', true, [], [1], ['a'], {}, { a: 1 }, { granular }, { granular: {} }, { enabled: 'x' }, { enabled: true, more: 1 }];
  const bad: string[] = [];
  for (const key of [...officialKeys, 'keel', 'model_providers', 'mcp_servers']) {
    for (const value of values) {
      const { effective } = checkConfig({ [key]: value });
      if (!validate(effective)) bad.push(`${key} = ${JSON.stringify(value)} → ${JSON.stringify(effective)}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  expect(bad).toEqual([]);
});
