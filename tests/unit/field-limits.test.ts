// The longest values Keel accepts in params it stores (or searches the store with), as the wire
// sees them: at the maximum a value parses, one character more answers -32602 naming the field.
// The numbers are the contract (app-server.md, *Limits*), written out here on purpose.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigBatchWriteParams, ConfigValueWriteParams } from '../../src/protocol/schemas/config-methods.js';
import { ThreadForkParams, ThreadListParams, ThreadResumeParams, ThreadSetNameParams, ThreadStartParams } from '../../src/protocol/schemas/thread-methods.js';
import { TurnStartParams } from '../../src/protocol/schemas/turn-methods.js';
import { ThreadGoalSetParams } from '../../src/protocol/schemas/thread-meta-methods.js';
import { ThreadAttachmentAddParams, ThreadSectionCreateParams } from '../../src/protocol/schemas/section-methods.js';
import { isRpcError } from '../../src/protocol/errors.js';
import { parseParams } from '../../src/server/validate.js';

const KIB = 1024;
const edit = (over: Record<string, unknown>) => ({ keyPath: 'model', value: 'x', mergeStrategy: 'replace', ...over });

/** [what, schema, params holding `text`, the path named, the maximum]; a key's path is its object's. */
const fields: Array<[string, z.ZodType, (text: string) => unknown, string, number]> = [
  ['thread/name/set name', ThreadSetNameParams, (name) => ({ threadId: 't', name }), 'name', 4 * KIB],
  ['thread/list searchTerm', ThreadListParams, (searchTerm) => ({ searchTerm }), 'searchTerm', 4 * KIB],
  ['thread/start model', ThreadStartParams, (model) => ({ model }), 'model', KIB],
  ['thread/start modelProvider', ThreadStartParams, (modelProvider) => ({ modelProvider }), 'modelProvider', KIB],
  ['thread/start serviceName', ThreadStartParams, (serviceName) => ({ serviceName }), 'serviceName', KIB],
  ['thread/start cwd', ThreadStartParams, (cwd) => ({ cwd }), 'cwd', 4 * KIB],
  ['thread/start developerInstructions', ThreadStartParams, (developerInstructions) => ({ developerInstructions }), 'developerInstructions', KIB * KIB],
  ['thread/resume baseInstructions', ThreadResumeParams, (baseInstructions) => ({ threadId: 't', baseInstructions }), 'baseInstructions', KIB * KIB],
  ['thread/fork config value', ThreadForkParams, (text) => ({ threadId: 't', config: { instructions: text } }), 'config.instructions', 64 * KIB],
  ['thread/start config key', ThreadStartParams, (key) => ({ config: { [key]: 1 } }), 'config', KIB],
  ['turn/start model', TurnStartParams, (model) => ({ threadId: 't', input: [], model }), 'model', KIB],
  ['turn/start cwd', TurnStartParams, (cwd) => ({ threadId: 't', input: [], cwd }), 'cwd', 4 * KIB],
  ['config/value/write keyPath', ConfigValueWriteParams, (keyPath) => edit({ keyPath }), 'keyPath', KIB],
  ['config/value/write value', ConfigValueWriteParams, (value) => edit({ value }), 'value', 64 * KIB],
  ['config/value/write a string deep in the value', ConfigValueWriteParams, (text) => edit({ value: { a: [{ b: text }] } }), 'value.a[0].b', 64 * KIB],
  ['config/value/write value key', ConfigValueWriteParams, (key) => edit({ value: { [key]: 1 } }), 'value', KIB],
  ['config/batchWrite an edit value', ConfigBatchWriteParams, (value) => ({ edits: [edit({}), edit({ value })] }), 'edits[1].value', 64 * KIB],
  ['thread/goal/set objective', ThreadGoalSetParams, (objective) => ({ threadId: 't', objective }), 'objective', 4 * KIB],
  ['threadSection/create name', ThreadSectionCreateParams, (name) => ({ name }), 'name', 4 * KIB],
  ['thread/attachment/add identityKey', ThreadAttachmentAddParams, (identityKey) => ({ threadId: 't', attachmentType: 'pr', identityKey, payload: null }), 'identityKey', KIB],
];

function refusal(schema: z.ZodType, params: unknown) {
  try {
    parseParams(schema, params);
  } catch (error) {
    if (isRpcError(error)) return error.toJson();
    throw error;
  }
  return 'accepted';
}

describe('field limits', () => {
  it.each(fields)('%s: at most its maximum', (what, schema, params, path, max) => {
    expect(refusal(schema, params('a'.repeat(max)))).toBe('accepted');
    const message = `${what.endsWith(' key') ? 'a key is ' : ''}too long: ${max + 1} characters, the maximum is ${max}`;
    expect(refusal(schema, params('a'.repeat(max + 1)))).toEqual({
      code: -32602,
      message: `Invalid params: ${path}: ${message}`,
      data: { issues: [{ path, message }] },
    });
  });

  it('config/batchWrite: at most 1,000 edits', () => {
    expect(refusal(ConfigBatchWriteParams, { edits: Array.from({ length: 1000 }, () => edit({})) })).toBe('accepted');
    const message = 'too many: 1001 edits, the maximum is 1000';
    expect(refusal(ConfigBatchWriteParams, { edits: Array.from({ length: 1001 }, () => edit({})) })).toEqual({
      code: -32602,
      message: `Invalid params: edits: ${message}`,
      data: { issues: [{ path: 'edits', message }] },
    });
  });
});

// JSON's "\ud800" escape decodes to a lone surrogate, which UTF-8 cannot hold: config.toml (and
// the store) would get U+FFFD in its place, silently. A config value refuses it instead.
describe('lone surrogates in config values', () => {
  const cases: Array<[string, z.ZodType, unknown, string, string]> = [
    ['config/value/write value', ConfigValueWriteParams, edit({ value: 'gpt-\ud800' }), 'value', 'at character 4'],
    ['a string deep in the value', ConfigValueWriteParams, edit({ value: { a: ['ok', 'x\udc00y'] } }), 'value.a[1]', 'at character 1'],
    ['a key of the value', ConfigValueWriteParams, edit({ value: { 'k\udbff': 1 } }), 'value', 'in a key, at character 1'],
    ['keyPath', ConfigValueWriteParams, edit({ keyPath: 'model\ud800' }), 'keyPath', 'at character 5'],
    ['config/batchWrite an edit value', ConfigBatchWriteParams, { edits: [edit({ value: '\udfff' })] }, 'edits[0].value', 'at character 0'],
    ['thread/start config', ThreadStartParams, { config: { model: '\ud800' } }, 'config.model', 'at character 0'],
  ];

  it.each(cases)('%s: refused, naming where', (_what, schema, params, path, where) => {
    const message = `not well-formed Unicode: a lone surrogate ${where}`;
    expect(refusal(schema, params)).toEqual({ code: -32602, message: `Invalid params: ${path}: ${message}`, data: { issues: [{ path, message }] } });
  });

  it('a surrogate pair is a character like any other', () => {
    expect(refusal(ConfigValueWriteParams, edit({ value: { 'k😀': 'gpt-😀' } }))).toBe('accepted');
  });
});
