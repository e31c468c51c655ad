// `npm run vendor:codex` prints what a release changed; here its diff of the two vendored releases
// is compared with what Codex 0.171.0's release notes and the schemas themselves say.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RECORDED_PROTOCOL_VERSION, schemaBundlePath, type CodexSurface } from '../../scripts/codex-protocol-path.js';
import { diffProtocols, formatProtocolDiff, type ProtocolBundles } from '../../scripts/protocol-diff.js';
import { CODEX_PROTOCOL_VERSION } from '../../src/protocol/codex-version.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bundles = (version: string): ProtocolBundles => {
  const read = (surface: CodexSurface) => JSON.parse(fs.readFileSync(schemaBundlePath(surface, undefined, version), 'utf8'));
  return { stable: read('stable'), experimental: read('experimental') };
};

describe(`protocol diff ${RECORDED_PROTOCOL_VERSION} -> ${CODEX_PROTOCOL_VERSION}`, () => {
  const diff = diffProtocols(bundles(RECORDED_PROTOCOL_VERSION), bundles(CODEX_PROTOCOL_VERSION));

  it('names the methods added and removed with their direction and stability', () => {
    expect(diff.methodsAdded).toEqual([
      { method: 'modelProvider/default/set', direction: 'client request', stability: 'stable' },
      { method: 'thread/realtime/list', direction: 'client request', stability: 'experimental' },
      { method: 'thread/search/cancel', direction: 'client request', stability: 'experimental' },
      { method: 'thread/search/partial', direction: 'server notification', stability: 'stable' },
      { method: 'thread/search/stream', direction: 'client request', stability: 'experimental' },
      { method: 'thread/search/stream/cancel', direction: 'client request', stability: 'experimental' },
    ]);
    expect(diff.methodsRemoved).toEqual([{ method: 'currentTime/read', direction: 'server request', stability: 'experimental' }]);
    expect(diff.stabilityChanged).toEqual([]);
  });

  it('names the types added and removed', () => {
    expect(diff.typesRemoved).toEqual(['CurrentTimeReadParams', 'CurrentTimeReadResponse']);
    expect(diff.typesAdded).toContain('v2/ThreadSearchPartialNotification');
    expect(diff.typesAdded).toContain('v2/ModelProviderDefaultSetParams');
    expect(diff.typesAdded).toHaveLength(19);
  });

  it('tells a changed type field by field, union variants by their tag', () => {
    const changed = Object.fromEntries(diff.typesChanged.map((change) => [change.name, change.details]));
    expect(changed['v2/ThreadListParams']).toEqual([
      '+ properties.includedThreadIds: {"items":{"type":"string"},"type":["array","null"]}',
    ]);
    expect(changed['v2/CodexErrorInfo']).toEqual(['+ anyOf[0].enum: "bioPolicy"']);
    expect(changed['v2/ThreadItem']).toEqual(['+ oneOf[type=mcpToolCall].properties.environmentId: {"type":["string","null"]}']);
    expect(changed['v2/Project']).toEqual(['- properties.position', '- required: "position"']);
    expect(changed['v2/ThreadSearchParams']).toEqual(['~ descriptions only']);
    expect(diff.typesChanged).toHaveLength(20);
  });

  it('prints one section per kind of change', () => {
    const text = formatProtocolDiff(RECORDED_PROTOCOL_VERSION, CODEX_PROTOCOL_VERSION, diff);
    expect(text.split('\n').filter((line) => !line.startsWith(' '))).toEqual([
      `Codex app-server protocol ${RECORDED_PROTOCOL_VERSION} -> ${CODEX_PROTOCOL_VERSION}`,
      'methods added (6)',
      'methods removed (1)',
      'methods whose stability changed (0)',
      'types added (19)',
      'types removed (2)',
      'types changed (20)',
      '',
    ]);
  });

  it('finds nothing between a release and itself', () => {
    const same = diffProtocols(bundles(CODEX_PROTOCOL_VERSION), bundles(CODEX_PROTOCOL_VERSION));
    expect(same).toEqual({ methodsAdded: [], methodsRemoved: [], stabilityChanged: [], typesAdded: [], typesRemoved: [], typesChanged: [] });
  });
});

describe('npm run vendor:codex', () => {
  it('prints what a release changed and, with --dry-run, leaves vendor/ as it was', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/vendor-codex.mjs', CODEX_PROTOCOL_VERSION, '--from', `vendor/codex-protocol/${CODEX_PROTOCOL_VERSION}`, '--against', RECORDED_PROTOCOL_VERSION, '--dry-run'], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      `${formatProtocolDiff(RECORDED_PROTOCOL_VERSION, CODEX_PROTOCOL_VERSION, diffProtocols(bundles(RECORDED_PROTOCOL_VERSION), bundles(CODEX_PROTOCOL_VERSION)))}vendor:codex: --dry-run: vendor/ was not changed\n`,
    );
  });
});
