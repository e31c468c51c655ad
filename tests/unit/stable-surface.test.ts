// The stable surface of the contract: what `generate-json-schema` and `generate-ts` write without
// --experimental. Checked on the committed schema and on a small bundle.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stableBundle, stableIndex, stableMessage, type SurfaceEntry } from '../../src/protocol/stable-surface.js';
import { repoRoot } from '../helpers/conformance.js';

const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, rel), 'utf8'));
const bundle = read('schema/keel.schema.json');
const index = read('schema/methods.json') as Array<SurfaceEntry & { method: string }>;

describe('the stable surface of the committed contract', () => {
  it('leaves out experimental methods, their types and experimental fields, and nothing else', () => {
    const stable = stableBundle(bundle, index) as typeof bundle;
    const dropped = Object.keys(bundle.definitions).filter((id) => !(id in stable.definitions));
    expect(dropped).toEqual([
      'CollaborationModeListParams',
      'CollaborationModeListResponse',
      'DynamicToolCallParams',
      'DynamicToolCallResponse',
      'ServerDiagnosticsGauge',
      'ServerDiagnosticsParams',
      'ServerDiagnosticsProcess',
      'ServerDiagnosticsResponse',
      'ThreadSearchCancelParams',
      'ThreadSearchCancelResponse',
      'ThreadSearchOccurrencesParams',
      'ThreadSearchOccurrencesResponse',
      'ThreadSearchParams',
      'ThreadSearchResponse',
      'ThreadSearchStreamCancelParams',
      'ThreadSearchStreamCancelResponse',
      'ThreadSearchStreamParams',
      'ThreadSearchStreamResponse',
      'ToolRequestUserInputParams',
      'ToolRequestUserInputResponse',
    ]);
    // Params with an experimental field lose just that field.
    const experimentalFields: Record<string, string> = {
      ThreadStartParams: 'dynamicTools',
      TurnStartParams: 'collaborationMode',
      CommandExecParams: 'permissionProfile',
      CommandExecutionRequestApprovalParams: 'availableDecisions',
      ThreadForkParams: 'beforeTurnId',
    };
    for (const [id, field] of Object.entries(experimentalFields)) {
      const { [field]: dropped, ...kept } = bundle.definitions[id].properties;
      expect(dropped).toBeDefined();
      expect(stable.definitions[id]).toEqual({ ...bundle.definitions[id], properties: kept });
    }
    for (const id of Object.keys(stable.definitions).filter((id) => !(id in experimentalFields))) expect(stable.definitions[id]).toBe(bundle.definitions[id]);
    expect({ ...stable, definitions: {} }).toEqual({ ...bundle, definitions: {} });
  });

  it('lists the stable methods with no experimental field', () => {
    const stable = stableIndex(index);
    // Thread search is experimental in Codex 0.171.0, but for its stable `thread/search/partial`.
    const experimental = ['server/diagnostics', 'collaborationMode/list', 'item/tool/call', 'item/tool/requestUserInput', 'thread/search', 'thread/search/stream', 'thread/search/cancel', 'thread/search/stream/cancel', 'thread/searchOccurrences'];
    expect(stable.map((e) => e.method)).toEqual(index.filter((e) => !experimental.includes(e.method)).map((e) => e.method));
    expect(stable.flatMap((e) => e.experimentalFields)).toEqual([]);
  });

  it('filters the per-message files the same way', () => {
    expect(stableMessage('ServerDiagnosticsResponse', read('schema/messages/ServerDiagnosticsResponse.json'), index)).toBeNull();
    const initialize = read('schema/messages/InitializeParams.json');
    expect(stableMessage('InitializeParams', initialize, index)).toBe(initialize);
    const threadStart = read('schema/messages/ThreadStartParams.json');
    const { dynamicTools: _, ...properties } = threadStart.properties;
    // JsonValue is reached only through dynamicTools (config takes ConfigValue).
    const { JsonValue: __, ...definitions } = threadStart.definitions;
    expect(stableMessage('ThreadStartParams', threadStart, index)).toEqual({ ...threadStart, properties, definitions });
  });
});

describe('the stable surface of a small contract', () => {
  const entries: SurfaceEntry[] = [
    { stability: 'stable', params: 'AParams', result: 'AResponse', experimentalFields: ['beta'] },
    { stability: 'experimental', params: 'BParams', result: 'BResponse', experimentalFields: [] },
  ];
  const ref = (id: string) => ({ $ref: `#/definitions/${id}` });
  const definitions = {
    AParams: { type: 'object', properties: { alpha: ref('Shared'), beta: ref('BetaOnly') }, required: ['alpha', 'beta'] },
    AResponse: { type: 'object', properties: { shared: ref('Shared') } },
    BParams: { type: 'object', properties: { x: ref('BOnly') } },
    BResponse: { type: 'object' },
    Shared: { type: 'string' },
    BetaOnly: { type: 'object', properties: { deep: ref('DeepBeta') } },
    DeepBeta: { type: 'number' },
    BOnly: { type: 'string' },
    Unreferenced: { type: 'boolean' },
  };

  it('drops what only the experimental surface reaches, keeps what no message reaches', () => {
    expect(stableBundle({ title: 't', definitions }, entries)).toEqual({
      title: 't',
      definitions: {
        AParams: { type: 'object', properties: { alpha: ref('Shared') }, required: ['alpha'] },
        AResponse: definitions.AResponse,
        Shared: definitions.Shared,
        Unreferenced: definitions.Unreferenced,
      },
    });
  });

  it('prunes a message file of the definitions only its experimental fields reached', () => {
    const file = { $schema: 'draft-07', ...definitions.AParams, definitions: { Shared: definitions.Shared, BetaOnly: definitions.BetaOnly, DeepBeta: definitions.DeepBeta } };
    expect(stableMessage('AParams', file, entries)).toEqual({
      $schema: 'draft-07',
      type: 'object',
      properties: { alpha: ref('Shared') },
      required: ['alpha'],
      definitions: { Shared: definitions.Shared },
    });
  });
});
