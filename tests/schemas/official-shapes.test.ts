// The thread/turn zod schemas against the official Codex 0.169.0 JSON Schema: samples parse
// unchanged and validate officially; field sets, required keys, enums and union tags line up.
import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { schemaBundlePath, type CodexSurface } from '../../scripts/codex-protocol-path.js';
import * as model from '../../src/protocol/schemas/thread-model.js';
import * as tm from '../../src/protocol/schemas/thread-methods.js';
import * as turn from '../../src/protocol/schemas/turn-methods.js';
import * as S from './official-samples.js';

type Json = Record<string, any>;
type Surface = CodexSurface;

const load = (surface: Surface): Json => JSON.parse(fs.readFileSync(schemaBundlePath(surface), 'utf8'));
const bundles: Record<Surface, Json> = { stable: load('stable'), experimental: load('experimental') };

const ajv = new Ajv({ strict: false, allErrors: true });
for (const format of ['int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'double', 'float']) {
  ajv.addFormat(format, true);
}
ajv.addSchema(bundles.stable, 'codex');
ajv.addSchema(bundles.experimental, 'codex-experimental');

function officialDef(name: string, surface: Surface = 'stable'): Json {
  const def = bundles[surface].definitions.v2[name];
  if (!def) throw new Error(`no official definition v2/${name}`);
  return def;
}

function officialValidator(name: string, surface: Surface = 'stable'): ValidateFunction {
  const validate = ajv.getSchema(`${surface === 'stable' ? 'codex' : 'codex-experimental'}#/definitions/v2/${name}`);
  if (!validate) throw new Error(`no official definition v2/${name}`);
  return validate;
}

function expectConforms(name: string, schema: z.ZodType, sample: unknown, surface: Surface = 'stable') {
  const parsed = schema.safeParse(sample);
  expect(parsed.success ? [] : parsed.error.issues, `zod ${name}: ${JSON.stringify(sample)}`).toEqual([]);
  expect(parsed.data).toStrictEqual(sample);
  const validate = officialValidator(name, surface);
  validate(sample);
  expect(validate.errors ?? [], `official ${name}: ${JSON.stringify(sample)}`).toEqual([]);
}

const entry = (item: unknown) => ({ turnId: 'turn_1', item, startedAtMs: 1700000000000, completedAtMs: null });

const dataModel: Array<[string, z.ZodType, unknown[]]> = [
  ['UserInput', model.UserInput, S.userInputs],
  ['ThreadItem', model.ThreadItem, S.items],
  ['ThreadStatus', model.ThreadStatus, S.threadStatuses],
  ['CodexErrorInfo', model.CodexErrorInfo, S.codexErrorInfos],
  ['TurnError', model.TurnError, S.turnErrors],
  ['Turn', model.Turn, S.turns],
  ['Thread', model.Thread, S.threads],
  ['TokenUsageBreakdown', model.TokenUsageBreakdown, [S.breakdown, S.tokenUsage.total]],
  ['ThreadTokenUsage', model.ThreadTokenUsage, [S.tokenUsage, { ...S.tokenUsage, modelContextWindow: null }]],
  ['ThreadItemEntry', model.ThreadItemEntry, [entry(S.items[0]), { ...entry(S.items[6]), completedAtMs: 1700000001000 }]],
  ['SandboxPolicy', model.SandboxPolicy, S.sandboxPolicies],
  ['AskForApproval', model.AskForApproval, S.approvalPolicies],
  ['GitInfo', model.GitInfo, [{}, { sha: 'abc', branch: null, originUrl: 'git@example.com:a/b.git' }]],
  ['SessionSource', model.SessionSource, S.threads.map((t) => t.source)],
  ['ThreadSource', model.ThreadSource, ['user', 'subagent']],
  ['ReasoningEffort', model.ReasoningEffort, ['minimal', 'low', 'medium', 'high', 'xhigh']],
  ['CollaborationMode', model.CollaborationMode, [{ mode: 'plan', settings: { model: 'gpt-5', reasoning_effort: null } }]],
];

const sessionResponse = { ...S.sessionFields, thread: S.threads[1] };
const resumeResponse = {
  ...sessionResponse,
  collaborationMode: null,
  turnsBackwardsCursor: 'c1',
  itemsBackwardsCursor: null,
};
const page = <T>(data: T[]) => ({ data, nextCursor: 'next', backwardsCursor: null });
const itemKey = { threadId: 'thr_1', turnId: 'turn_1', itemId: 'item_3' };

const responses: Array<[string, z.ZodType, unknown[]]> = [
  ['ThreadStartResponse', tm.ThreadStartResponse, [S.sessionFields, sessionResponse]],
  ['ThreadResumeResponse', tm.ThreadResumeResponse, [resumeResponse]],
  ['ThreadForkResponse', tm.ThreadForkResponse, [sessionResponse, { ...S.sessionFields, approvalPolicy: S.approvalPolicies[3] }]],
  ['ThreadListResponse', tm.ThreadListResponse, [page(S.threads), { data: [], nextCursor: null, backwardsCursor: null }]],
  ['ThreadLoadedListResponse', tm.ThreadLoadedListResponse, [{ data: ['thr_1'], nextCursor: null }]],
  ['ThreadReadResponse', tm.ThreadReadResponse, [{ thread: S.threads[1] }]],
  ['ThreadTurnsListResponse', tm.ThreadTurnsListResponse, [page(S.turns)]],
  ['ThreadItemsListResponse', tm.ThreadItemsListResponse, [page(S.items.map(entry))]],
  ['ThreadArchiveResponse', tm.ThreadArchiveResponse, [{}]],
  ['ThreadUnarchiveResponse', tm.ThreadUnarchiveResponse, [{ thread: S.baseThread }]],
  ['ThreadDeleteResponse', tm.ThreadDeleteResponse, [{}]],
  ['ThreadUnsubscribeResponse', tm.ThreadUnsubscribeResponse, [{ status: 'unsubscribed' }, { status: 'notLoaded' }]],
  ['ThreadSetNameResponse', tm.ThreadSetNameResponse, [{}]],
  ['ThreadRevertResponse', tm.ThreadRevertResponse, [
    { thread: S.baseThread, turnsBackwardsCursor: null, itemsBackwardsCursor: null },
    {
      thread: S.baseThread, turnsBackwardsCursor: null, itemsBackwardsCursor: null,
      files: [{ path: '/w/a.txt', status: 'restored' }, { path: '/w/b.txt', status: 'skipped', reason: 'it changed since the reverted turn; left as it is' }],
    },
  ]],
  ['TurnStartResponse', turn.TurnStartResponse, [{ turn: { ...S.turns[2], items: [] } }]],
  ['TurnSteerResponse', turn.TurnSteerResponse, [{ turnId: 'turn_1' }]],
  ['TurnInterruptResponse', turn.TurnInterruptResponse, [{}]],
  ['ThreadStartedNotification', tm.ThreadStartedNotification, [{ thread: S.baseThread }]],
  ['ThreadStatusChangedNotification', tm.ThreadStatusChangedNotification, S.threadStatuses.map((status) => ({ threadId: 'thr_1', status }))],
  ['ThreadArchivedNotification', tm.ThreadArchivedNotification, [{ threadId: 'thr_1' }]],
  ['ThreadUnarchivedNotification', tm.ThreadUnarchivedNotification, [{ threadId: 'thr_1' }]],
  ['ThreadDeletedNotification', tm.ThreadDeletedNotification, [{ threadId: 'thr_1' }]],
  ['ThreadRevertedNotification', tm.ThreadRevertedNotification, [{ threadId: 'thr_1', beforeTurnId: 'turn_2' }]],
  ['ThreadNameUpdatedNotification', tm.ThreadNameUpdatedNotification, [{ threadId: 'thr_1', threadName: 'x' }, { threadId: 'thr_1', threadName: null }]],
  ['TurnStartedNotification', tm.TurnStartedNotification, [{ threadId: 'thr_1', turn: S.turns[2] }]],
  ['TurnCompletedNotification', tm.TurnCompletedNotification, S.turns.map((t) => ({ threadId: 'thr_1', turn: t }))],
  ['ItemStartedNotification', tm.ItemStartedNotification, S.items.map((item) => ({ threadId: 'thr_1', turnId: 'turn_1', item, startedAtMs: 1 }))],
  ['ItemCompletedNotification', tm.ItemCompletedNotification, [
    { threadId: 'thr_1', turnId: 'turn_1', item: S.items[3], completedAtMs: 2 },
    { threadId: 'thr_1', turnId: 'turn_1', item: S.items[6], completedAtMs: 2, contentTokenCount: 17 },
  ]],
  ['AgentMessageDeltaNotification', tm.AgentMessageDeltaNotification, [{ ...itemKey, delta: 'Hel' }]],
  ['ReasoningSummaryTextDeltaNotification', tm.ReasoningSummaryTextDeltaNotification, [{ ...itemKey, summaryIndex: 0, delta: 'x' }]],
  ['ReasoningSummaryPartAddedNotification', tm.ReasoningSummaryPartAddedNotification, [{ ...itemKey, summaryIndex: 1 }]],
  ['ReasoningTextDeltaNotification', tm.ReasoningTextDeltaNotification, [{ ...itemKey, contentIndex: 0, delta: 'y' }]],
  ['CommandExecutionOutputDeltaNotification', tm.CommandExecutionOutputDeltaNotification, [{ ...itemKey, delta: 'out\n' }]],
  ['ThreadTokenUsageUpdatedNotification', tm.ThreadTokenUsageUpdatedNotification, [{ threadId: 'thr_1', turnId: 'turn_1', tokenUsage: S.tokenUsage }]],
  ['ErrorNotification', tm.ErrorNotification, S.turnErrors.map((error, i) => ({ threadId: 'thr_1', turnId: 'turn_1', error, willRetry: i === 0 }))],
];

const threadConfig = {
  model: 'gpt-5',
  modelProvider: 'openai',
  serviceTier: null,
  cwd: '/work',
  approvalPolicy: { granular: { sandbox_approval: true, rules: true, mcp_elicitations: false } },
  approvalsReviewer: 'auto_review',
  sandbox: 'workspace-write',
  config: { 'features.x': true, nested: { a: [1, null] } },
  baseInstructions: null,
  developerInstructions: 'be brief',
};

/** Params: name, schema, minimal sample (official required fields only), richer samples. */
const params: Array<[string, z.ZodType, Json, Json[]]> = [
  ['ThreadStartParams', tm.ThreadStartParams, {}, [
    { ...threadConfig, serviceName: 'ide', personality: 'pragmatic', ephemeral: true, sessionStartSource: 'clear', threadSource: 'user' },
  ]],
  ['ThreadResumeParams', tm.ThreadResumeParams, { threadId: 'thr_1' }, [{ threadId: 'thr_1', ...threadConfig, personality: null, excludeTurns: true }]],
  ['ThreadForkParams', tm.ThreadForkParams, { threadId: 'thr_1' }, [
    { threadId: 'thr_1', lastTurnId: 'turn_2', ...threadConfig, ephemeral: false, threadSource: null, excludeTurns: false },
  ]],
  ['ThreadListParams', tm.ThreadListParams, {}, [
    {
      cursor: 'c', limit: 20, sortKey: 'updated_at', sortDirection: 'desc', archived: false, cwd: ['/a', '/b'],
      searchTerm: 'build', modelProviders: ['openai'], sourceKinds: ['appServer', 'subAgentReview'], originators: [],
      excludedThreadIds: ['thr_9'], sectionId: null, currentAccountOnly: true, useStateDbOnly: false, maxBytes: 65536,
    },
    { cwd: '/work', maxBytes: null },
  ]],
  ['ThreadLoadedListParams', tm.ThreadLoadedListParams, {}, [{ cursor: null, limit: 0 }]],
  ['ThreadReadParams', tm.ThreadReadParams, { threadId: 'thr_1' }, [{ threadId: 'thr_1', includeTurns: true, maxBytes: 1024 }]],
  ['ThreadTurnsListParams', tm.ThreadTurnsListParams, { threadId: 'thr_1' }, [
    { threadId: 'thr_1', cursor: 'c', limit: 5, sortDirection: 'asc', itemsView: 'summary', maxBytes: 4096 },
  ]],
  ['ThreadItemsListParams', tm.ThreadItemsListParams, { threadId: 'thr_1' }, [
    { threadId: 'thr_1', turnId: 'turn_1', cursor: 'opaque', limit: 50, sortDirection: 'desc', deferOutput: {}, maxBytes: 1 },
    { threadId: 'thr_1', cursor: { type: 'item', itemId: 'item_3' }, deferOutput: null },
  ]],
  ['ThreadArchiveParams', tm.ThreadArchiveParams, { threadId: 'thr_1' }, []],
  ['ThreadUnarchiveParams', tm.ThreadUnarchiveParams, { threadId: 'thr_1' }, []],
  ['ThreadDeleteParams', tm.ThreadDeleteParams, { threadId: 'thr_1' }, []],
  ['ThreadUnsubscribeParams', tm.ThreadUnsubscribeParams, { threadId: 'thr_1' }, []],
  ['ThreadSetNameParams', tm.ThreadSetNameParams, { threadId: 'thr_1', name: 'Build fix' }, []],
  ['ThreadRevertParams', tm.ThreadRevertParams, { threadId: 'thr_1', beforeTurnId: 'turn_2' }, [{ threadId: 'thr_1', beforeTurnId: 'turn_2', restoreFiles: true }]],
  ['TurnStartParams', turn.TurnStartParams, { threadId: 'thr_1', input: [S.text] }, [
    {
      threadId: 'thr_1', input: S.userInputs, clientUserMessageId: 'm1', cwd: '/work', approvalPolicy: 'never',
      approvalsReviewer: 'user', sandboxPolicy: S.sandboxPolicies[5], model: 'gpt-5', serviceTier: 'flex',
      serviceTierForTurn: null, effort: 'high', summary: 'concise', personality: 'friendly',
      outputSchema: { type: 'object', properties: { answer: { type: 'string' } } }, disabledPluginIds: ['p1'],
      turnTrigger: 'user', parentTurnId: null, rootTurnId: 'turn_1',
      toolOutput: { name: 'lookup', namespace: null, output: 'result', retain: true },
    },
    { threadId: 'thr_1', input: [], sandboxPolicy: { type: 'readOnly' }, summary: 'none', outputSchema: null },
  ]],
  ['TurnSteerParams', turn.TurnSteerParams, { threadId: 'thr_1', input: [S.text], expectedTurnId: 'turn_1' }, [
    { threadId: 'thr_1', input: S.userInputs, expectedTurnId: 'turn_1', clientUserMessageId: null },
  ]],
  ['TurnInterruptParams', turn.TurnInterruptParams, { threadId: 'thr_1', turnId: 'turn_1' }, []],
];

const enums: Array<[string, { options: readonly string[] }]> = [
  ['SandboxMode', model.SandboxMode],
  ['ApprovalsReviewer', model.ApprovalsReviewer],
  ['ReasoningSummary', model.ReasoningSummary],
  ['Personality', model.Personality],
  ['ThreadSortKey', model.ThreadSortKey],
  ['SortDirection', model.SortDirection],
  ['TurnItemsView', model.TurnItemsView],
  ['ThreadActiveFlag', model.ThreadActiveFlag],
  ['ThreadSourceKind', model.ThreadSourceKind],
  ['TurnStatus', model.TurnStatus],
  ['CommandExecutionStatus', model.CommandExecutionStatus],
  ['CommandExecutionSource', model.CommandExecutionSource],
  ['PatchApplyStatus', model.PatchApplyStatus],
  ['McpToolCallStatus', model.McpToolCallStatus],
  ['DynamicToolCallStatus', model.DynamicToolCallStatus],
  ['CollabAgentTool', model.CollabAgentTool],
  ['CollabAgentStatus', model.CollabAgentStatus],
  ['CollabAgentToolCallStatus', model.CollabAgentToolCallStatus],
  ['MessagePhase', model.MessagePhase],
  ['ImageDetail', model.ImageDetail],
  ['ThreadUnsubscribeStatus', tm.ThreadUnsubscribeStatus],
];

type TaggedUnion = { options: readonly z.ZodObject[] };
const unions: Array<[string, TaggedUnion]> = [
  ['ThreadItem', model.ThreadItem],
  ['UserInput', model.UserInput],
  ['ThreadStatus', model.ThreadStatus],
  ['SandboxPolicy', model.SandboxPolicy],
  ['CommandAction', model.CommandAction],
  ['PatchChangeKind', model.PatchChangeKind],
  ['WebSearchAction', model.WebSearchAction],
  ['DynamicToolCallOutputContentItem', model.DynamicToolCallOutputContentItem],
  ['FunctionCallOutputContentItem', model.FunctionCallOutputContentItem],
];

const tagOf = (o: z.ZodObject) => (o.shape.type as z.ZodLiteral<string>).value;
const officialTags = (name: string) =>
  (officialDef(name).oneOf as Json[]).map((variant) => variant.properties.type.enum[0] as string);
/** Property names, including those an `anyOf` arm adds (e.g. image `url` | `fileId`). */
const officialProps = (def: Json): string[] => [
  ...Object.keys(def.properties ?? {}),
  ...((def.anyOf as Json[] | undefined) ?? []).flatMap((arm) => Object.keys(arm.properties ?? {})),
];
const enumValues = (def: Json): string[] => def.enum ?? (def.oneOf as Json[]).flatMap((arm) => arm.enum);

/** Fields Keel adds beyond Codex are described as such; they are not held to the official list. */
const isKeelExtension = (field: z.ZodType) => (field.description ?? '').startsWith('Keel extension');

function shapeKeys(schema: z.ZodObject) {
  const all = Object.keys(schema.shape).filter((key) => !isKeelExtension(schema.shape[key]!));
  const required = all.filter((key) => !schema.shape[key]!.safeParse(undefined).success);
  return { all, required };
}

describe('data model samples parse unchanged and validate against the official schema', () => {
  for (const [name, schema, samples] of dataModel) {
    it.each(samples.map((sample, i) => [i, sample]))(`${name} #%i`, (_i, sample) => expectConforms(name, schema, sample));
  }
});

describe('responses and notifications parse unchanged and validate officially', () => {
  for (const [name, schema, samples] of responses) {
    it(name, () => samples.forEach((sample) => expectConforms(name, schema, sample)));
  }
});

describe('params', () => {
  for (const [name, schema, minimal, rich] of params) {
    it(`${name}: samples conform`, () => [minimal, ...rich].forEach((sample) => expectConforms(name, schema, sample)));

    it(`${name}: every nullable official field accepts null`, () => {
      const def = officialDef(name);
      const nulls = Object.fromEntries(
        Object.entries<Json>(def.properties ?? {})
          .filter(([, p]) => [p.type].flat().includes('null') || p.anyOf?.some((a: Json) => a.type === 'null'))
          .map(([key]) => [key, null]),
      );
      expectConforms(name, schema, { ...minimal, ...nulls });
    });

    it(`${name}: unknown fields are accepted and stripped`, () => {
      const parsed = schema.safeParse({ ...minimal, someFutureField: { x: 1 }, jsonrpc: '2.0' });
      expect(parsed.success && parsed.data).toStrictEqual(minimal);
    });

    it(`${name}: fields and required keys match the official definition`, () => {
      const def = officialDef(name);
      const keys = shapeKeys(schema as z.ZodObject);
      expect(keys.all).toEqual(expect.arrayContaining(Object.keys(def.properties ?? {})));
      expect(keys.required.sort()).toEqual([...(def.required ?? [])].sort());
    });
  }

  it('thread/start accepts experimental dynamicTools per the experimental schema', () => {
    const sample = {
      dynamicTools: [
        { type: 'function', name: 'lookup', description: 'Find a record', inputSchema: { type: 'object' } },
        {
          type: 'namespace',
          name: 'crm',
          description: 'CRM tools',
          tools: [{ type: 'function', name: 'get', description: 'Get', inputSchema: {}, deferLoading: true }],
        },
      ],
    };
    expectConforms('ThreadStartParams', tm.ThreadStartParams, sample, 'experimental');
    const experimental = officialDef('ThreadStartParams', 'experimental');
    expect(Object.keys(tm.ThreadStartParams.shape)).toContain('dynamicTools');
    expect(experimental.properties.dynamicTools).toBeDefined();
    expect(tm.ThreadStartParams.safeParse({ dynamicTools: [{ type: 'function', name: 'x' }] }).success).toBe(false);
  });

  it('a wrong type fails with its path', () => {
    const paths = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((i) => i.path);
    expect(paths(tm.ThreadReadParams, { threadId: 5 })).toEqual([['threadId']]);
    expect(paths(turn.TurnStartParams, { threadId: 't', input: [{ type: 'text', text: 5 }] })).toEqual([['input', 0, 'text']]);
    expect(paths(turn.TurnStartParams, { threadId: 't', input: [], sandboxPolicy: { type: 'bogus' } })).toEqual([['sandboxPolicy', 'type']]);
    expect(paths(tm.ThreadStartParams, { sandbox: 'workspaceWrite' })).toEqual([['sandbox']]);
    expect(paths(turn.TurnSteerParams, { threadId: 't', input: [] })).toEqual([['expectedTurnId']]);
    expect(paths(turn.TurnStartParams, { threadId: 't', input: [{ type: 'image' }] })).toEqual([['input', 0, 'url']]);
  });

  it('nested unknown fields are stripped too', () => {
    const parsed = turn.TurnStartParams.parse({
      threadId: 't',
      input: [{ type: 'text', text: 'hi', clientId: 'c1' }],
      sandboxPolicy: { type: 'readOnly', readAccess: { type: 'fullAccess' } },
    });
    expect(parsed).toStrictEqual({ threadId: 't', input: [{ type: 'text', text: 'hi' }], sandboxPolicy: { type: 'readOnly' } });
  });

  it('maxBytes is a described Keel extension taking a positive integer or null', () => {
    const paged = [tm.ThreadListParams, tm.ThreadTurnsListParams, tm.ThreadItemsListParams, tm.ThreadReadParams] as const;
    for (const schema of paged) {
      expect(schema.shape.maxBytes.description).toMatch(/^Keel extension: /);
      const base = { threadId: 'thr_1' };
      for (const bad of [0, -1, 1.5, '10']) {
        expect(schema.safeParse({ ...base, maxBytes: bad }).error?.issues.map((i) => i.path)).toEqual([['maxBytes']]);
      }
      expect(schema.safeParse({ ...base, maxBytes: null }).success).toBe(true);
      expect(schema.safeParse({ ...base, maxBytes: 1 }).success).toBe(true);
    }
  });
});

describe('structure matches the official definitions', () => {
  it.each(enums)('%s has exactly the official values', (name, schema) => {
    expect([...schema.options].sort()).toEqual(enumValues(officialDef(name)).sort());
  });

  it.each(unions)('%s has exactly the official variants', (name, union) => {
    expect(union.options.map(tagOf).sort()).toEqual(officialTags(name).sort());
  });

  it('the samples cover every ThreadItem and UserInput variant', () => {
    expect(new Set(S.items.map((i) => i.type))).toEqual(new Set(officialTags('ThreadItem')));
    expect(new Set(S.userInputs.map((i) => i.type))).toEqual(new Set(officialTags('UserInput')));
  });

  it('every string CodexErrorInfo is accepted', () => {
    const strings = (officialDef('CodexErrorInfo').anyOf as Json[]).filter((arm) => arm.enum).flatMap((arm) => arm.enum);
    for (const value of strings) expectConforms('CodexErrorInfo', model.CodexErrorInfo, value);
  });

  it('ThreadItem variants send only official fields and every required one', () => {
    const variants = new Map((officialDef('ThreadItem').oneOf as Json[]).map((v) => [v.properties.type.enum[0], v]));
    for (const option of model.ThreadItem.options) {
      const official = variants.get(tagOf(option))!;
      const keys = shapeKeys(option);
      expect(officialProps(official), tagOf(option)).toEqual(expect.arrayContaining(keys.all));
      expect(keys.all, tagOf(option)).toEqual(expect.arrayContaining(official.required));
      expect(keys.required, tagOf(option)).toEqual(expect.arrayContaining(official.required));
    }
  });

  const outputs: Array<[string, z.ZodObject]> = [
    ['Thread', model.Thread],
    ['Turn', model.Turn],
    ['TurnError', model.TurnError],
    ['ThreadTokenUsage', model.ThreadTokenUsage],
    ['ThreadItemEntry', model.ThreadItemEntry],
    ...(responses.map(([name, schema]) => [name, schema]) as Array<[string, z.ZodObject]>),
  ];
  it.each(outputs)('%s sends only official fields and every required one', (name, schema) => {
    const def = officialDef(name);
    const keys = shapeKeys(schema);
    expect(officialProps(def)).toEqual(expect.arrayContaining(keys.all));
    expect(keys.required).toEqual(expect.arrayContaining(def.required ?? []));
  });
});
