// The start-up reads and account methods against the official Codex 0.169.0 schema: Keel's params
// accept every official field with the same required keys (and a request with params omitted when
// Codex's are null); Keel's results send only official fields, every required one, and what Keel
// answers validates officially and parses unchanged.
import fs from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { schemaBundlePath } from '../../scripts/codex-protocol-path.js';
import { methodTable, type ClientRequestMethod } from '../../src/protocol/method-table.js';
import type { RequestSpec } from '../../src/protocol/method-spec.js';

type Json = Record<string, any>;
const bundle: Json = JSON.parse(fs.readFileSync(schemaBundlePath('stable'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
for (const format of ['int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'double', 'float']) ajv.addFormat(format, true);
ajv.addSchema(bundle, 'codex');

const def = (pointer: string): Json => pointer.split('/').reduce((node, key) => node[key], bundle.definitions);
const deref = (node: Json): Json => (node.$ref ? def(node.$ref.replace('#/definitions/', '')) : node);

/** The official params schema of a method, from the ClientRequest union. */
function officialParams(method: string): Json {
  const variant = (bundle.definitions.ClientRequest.oneOf as Json[]).find((v) => v.properties.method.enum[0] === method)!;
  return { schema: variant.properties.params ?? { type: 'null' }, required: (variant.required as string[]).includes('params') };
}

/** What Keel answers each method with (empty home, no keys, Keel started in `/work`). */
const answers: Record<string, unknown[]> = {
  'account/read': [{ account: null, userId: null, requiresOpenaiAuth: false }, { account: { type: 'apiKey' }, userId: null, requiresOpenaiAuth: true }],
  'account/login/start': [{ type: 'apiKey' }],
  'account/login/cancel': [{ status: 'notFound' }],
  'account/logout': [{}],
  'account/securitySetup/read': [{ notice: null }],
  'account/gatewayOAuth/read': [{ providerId: 'scripted', providerName: 'Scripted (offline)', required: false, supportsDeviceAuth: false, status: null, error: null }],
  'account/gatewayOAuth/cancel': [{}],
  'modelProvider/list': [{
    data: [
      { id: 'openai', name: 'OpenAI', canEdit: false, baseUrl: 'https://api.openai.com/v1', settings: { type: 'openai' } },
      { id: 'ollama', name: 'Ollama', canEdit: false, baseUrl: 'http://localhost:11434/v1', settings: { type: 'customGateway', auth: { mode: 'none' } } },
      { id: 'groq', name: 'Groq', canEdit: false, baseUrl: null, settings: { type: 'customGateway', auth: { mode: 'environmentVariable', envKey: 'GROQ_API_KEY' } } },
    ],
    defaultProviderId: 'openai',
    canChangeDefault: true,
  }],
  'modelProvider/capabilities/read': [{ imageGeneration: false, webSearch: false }],
  'skills/list': [{ data: [{ cwd: '/work', skills: [], errors: [] }] }],
  'hooks/list': [{ data: [{ cwd: '/work', hooks: [], warnings: [], errors: [] }] }],
  'plugin/list': [{ marketplaces: [], marketplaceLoadErrors: [], featuredPluginIds: [] }],
  'plugin/installed': [{ marketplaces: [], marketplaceLoadErrors: [] }],
  'plugin/reconcile': [{ changedPlugins: [], failedRemotePluginIds: [], failedMaterializationRemotePluginIds: [] }],
  'marketplace/upgrade': [{ selectedMarketplaces: [], upgradedRoots: [], errors: [] }],
  'app/list': [{ data: [], nextCursor: null }],
  'app/installed': [{ apps: [] }],
  'mcpServerStatus/list': [{ data: [], nextCursor: null }],
  'config/mcpServer/reload': [{}],
  'permissionProfile/list': [{ data: [], nextCursor: null }],
  'configRequirements/read': [{ requirements: null, supportsIndependentSpeedModes: null }],
  'windowsSandbox/readiness': [{ status: 'notConfigured' }],
  'experimentalFeature/list': [{ data: [], nextCursor: null }],
  'externalAgentConfig/detect': [{ items: [], connectors: [] }],
  'externalAgentConfig/import/readHistories': [{ data: [], connectors: [] }],
  'threadSection/list': [{ data: [], nextCursor: null }],
};

const methods = Object.keys(answers) as ClientRequestMethod[];
const specOf = (method: ClientRequestMethod) => methodTable[method] as unknown as RequestSpec;
const shape = (schema: z.ZodType) => (schema as z.ZodObject).shape as Record<string, z.ZodType>;
/** The keys Codex defines: a field described as a Keel extension is Keel's own. */
const codexKeys = (object: z.ZodObject) => Object.keys(object.shape).filter((key) => !(object.shape[key] as z.ZodType).description?.startsWith('Keel extension'));
const requiredKeys = (schema: z.ZodType) => Object.entries(shape(schema)).filter(([, field]) => !field.safeParse(undefined).success).map(([key]) => key).sort();

describe.each(methods)('%s', (method) => {
  const spec = specOf(method);

  it('answers validate officially and parse unchanged', () => {
    const validate = ajv.getSchema(`codex#/definitions/${spec.codexResult}`)!;
    for (const answer of answers[method]!) {
      expect(validate(answer), JSON.stringify(validate.errors)).toBe(true);
      expect(spec.result.parse(answer)).toStrictEqual(answer);
    }
  });

  it('the result sends only official fields and every required one', () => {
    const official = def(spec.codexResult!);
    const variants: Json[] = official.oneOf ?? [official];
    const keys = Object.keys(shape(spec.result)).sort();
    const matching = variants.filter((v) => keys.every((key) => key in (v.properties ?? {})) && (v.required ?? []).every((key: string) => keys.includes(key)));
    expect(matching.length, `${keys.join(', ')} against ${spec.codexResult}`).toBeGreaterThan(0);
  });

  it('params take every official field, with the official required keys', () => {
    const { schema, required } = officialParams(method);
    const arms: Json[] = (schema.anyOf ?? [schema]).map(deref).filter((arm: Json) => arm.type !== 'null');
    if (arms.length === 0) {
      // Codex takes no params here: Keel accepts them omitted ({} in dispatch) or as {}.
      expect(required).toBe(false);
      expect(requiredKeys(spec.params)).toEqual([]);
      return;
    }
    const official = arms[0]!;
    if (official.oneOf) {
      const options = (spec.params as unknown as { options: z.ZodObject[] }).options;
      const byTag = new Map(options.map((o) => [(o.shape.type as z.ZodLiteral<string>).value, o]));
      expect([...byTag.keys()].sort()).toEqual((official.oneOf as Json[]).map((v) => v.properties.type.enum[0]).sort());
      for (const variant of official.oneOf as Json[]) {
        const keel = byTag.get(variant.properties.type.enum[0])!;
        expect(codexKeys(keel).sort()).toEqual(Object.keys(variant.properties).sort());
        expect(requiredKeys(keel)).toEqual([...variant.required].sort());
      }
      return;
    }
    expect(Object.keys(shape(spec.params)).sort()).toEqual(Object.keys(official.properties ?? {}).sort());
    expect(requiredKeys(spec.params)).toEqual([...(official.required ?? [])].sort());
  });
});
