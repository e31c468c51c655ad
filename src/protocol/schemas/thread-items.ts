// User input and thread items: what a turn is made of (Codex v2 `UserInput`, `ThreadItem` and the
// types nested in them).
//
// Nullability follows the real server's wire: on the types Keel *sends*, a field Codex always
// serializes (its TypeScript says `x: T | null`) is `.nullable()`, so Keel's output carries the same
// keys; fields later releases added behind serde defaults stay `.nullish()`/`.optional()`. Types a
// client also sends (`UserInput`, the output bodies) follow the JSON Schema's `required` exactly.
import * as z from 'zod';
import { AbsolutePath, JsonValue, UInt } from './common.js';

export const ReasoningEffort = z.string().min(1);

export const ImageDetail = z.enum(['auto', 'low', 'high', 'original']);

export const ByteRange = z.object({ start: UInt, end: UInt });

export const TextElement = z.object({
  byteRange: ByteRange,
  placeholder: z.string().nullish(),
});

// Codex's anyOf: a media input names a `url`, a `fileId`, or both.
const hasUrlOrFileId = (v: { url?: string | undefined; fileId?: string | undefined }) =>
  v.url !== undefined || v.fileId !== undefined;
const urlOrFileId = { message: 'needs url or fileId', path: ['url'] };

export const UserInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    text_elements: z.array(TextElement).optional(),
  }),
  z
    .object({
      type: z.literal('image'),
      url: z.string().optional(),
      fileId: z.string().optional(),
      detail: ImageDetail.nullish(),
    })
    .refine(hasUrlOrFileId, urlOrFileId),
  z.object({ type: z.literal('localImage'), path: z.string(), detail: ImageDetail.nullish() }),
  z
    .object({ type: z.literal('audio'), url: z.string().optional(), fileId: z.string().optional() })
    .refine(hasUrlOrFileId, urlOrFileId),
  z.object({ type: z.literal('localAudio'), path: z.string() }),
  z.object({ type: z.literal('skill'), name: z.string(), path: z.string() }),
  z.object({ type: z.literal('mention'), name: z.string(), path: z.string() }),
]);

export const FunctionCallOutputContentItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z
    .object({
      type: z.literal('input_image'),
      image_url: z.string().optional(),
      file_id: z.string().optional(),
      detail: ImageDetail.nullish(),
    })
    .refine((v) => v.image_url !== undefined || v.file_id !== undefined, {
      message: 'needs image_url or file_id',
      path: ['image_url'],
    }),
  z
    .object({ type: z.literal('input_audio'), audio_url: z.string().optional(), file_id: z.string().optional() })
    .refine((v) => v.audio_url !== undefined || v.file_id !== undefined, {
      message: 'needs audio_url or file_id',
      path: ['audio_url'],
    }),
  z.object({ type: z.literal('encrypted_content'), encrypted_content: z.string() }),
]);

export const FunctionCallOutputBody = z.union([z.string(), z.array(FunctionCallOutputContentItem)]);

export const CommandExecutionStatus = z.enum(['inProgress', 'completed', 'failed', 'declined']);
export const CommandExecutionSource = z.enum(['agent', 'userShell', 'unifiedExecStartup', 'unifiedExecInteraction']);

export const CommandAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('read'), command: z.string(), name: z.string(), path: z.string() }),
  z.object({ type: z.literal('listFiles'), command: z.string(), path: z.string().nullable() }),
  z.object({
    type: z.literal('search'),
    command: z.string(),
    query: z.string().nullable(),
    path: z.string().nullable(),
  }),
  z.object({ type: z.literal('unknown'), command: z.string() }),
]);

export const PatchApplyStatus = z.enum(['inProgress', 'completed', 'failed', 'declined']);

export const PatchChangeKind = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add') }),
  z.object({ type: z.literal('delete') }),
  z.object({ type: z.literal('update'), move_path: z.string().nullable() }),
]);

export const FileUpdateChange = z.object({ path: z.string(), kind: PatchChangeKind, diff: z.string() });

export const McpToolCallStatus = z.enum(['inProgress', 'completed', 'failed']);
export const McpToolCallResult = z.object({
  content: z.array(JsonValue),
  structuredContent: JsonValue.optional(),
  _meta: JsonValue.optional(),
});
export const McpToolCallError = z.object({ message: z.string() });
export const McpToolCallAppContext = z.object({
  connectorId: z.string(),
  appName: z.string().nullish(),
  actionName: z.string().nullish(),
  linkId: z.string().nullish(),
  resourceUri: z.string().nullish(),
});
export const McpAppUi = z.object({
  resourceUri: z.string(),
  preferredModelDisplayMode: z.enum(['inline', 'fullscreen']),
});

export const DynamicToolCallStatus = z.enum(['inProgress', 'completed', 'failed']);
export const DynamicToolCallOutputContentItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('inputText'), text: z.string() }),
  z.object({ type: z.literal('inputImage'), imageUrl: z.string() }),
  z.object({ type: z.literal('inputAudio'), audioUrl: z.string() }),
]);

export const CollabAgentTool = z.enum([
  'spawnAgent',
  'sendInput',
  'resumeAgent',
  'wait',
  'closeAgent',
  'sendMessage',
  'followupTask',
  'interruptAgent',
  'listAgents',
]);
export const CollabAgentToolCallStatus = z.enum(['inProgress', 'completed', 'failed', 'interrupted']);
export const CollabAgentStatus = z.enum([
  'pendingInit',
  'running',
  'interrupted',
  'completed',
  'errored',
  'shutdown',
  'notFound',
]);
export const CollabAgentState = z.object({ status: CollabAgentStatus, message: z.string().nullish() });
export const SubAgentActivityKind = z.enum(['started', 'interacted', 'interrupted', 'completed']);

export const WebSearchAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('search'), query: z.string().nullish(), queries: z.array(z.string()).nullish() }),
  z.object({ type: z.literal('openPage'), url: z.string().nullish() }),
  z.object({ type: z.literal('findInPage'), url: z.string().nullish(), pattern: z.string().nullish() }),
  z.object({ type: z.literal('other') }),
]);

export const MessagePhase = z.enum(['commentary', 'partial_answer', 'final_answer']);
export const MemoryCitationEntry = z.object({
  path: z.string(),
  lineStart: UInt,
  lineEnd: UInt,
  note: z.string(),
});
export const MemoryCitation = z.object({ entries: z.array(MemoryCitationEntry), threadIds: z.array(z.string()) });
// How a client presents a recovered, moderated answer (Codex 0.171's versioned `mode` union).
const AnswerDisplayVersion = z.literal(1);
export const AgentMessageDisplay = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('show'),
    version: AnswerDisplayVersion,
    trustedContacts: z.enum(['check', 'skip']),
    annotation: z.object({ kind: z.literal('wellbeingHelpline'), subject: z.enum(['answer', 'prompt']) }).nullish(),
  }),
  z.object({ mode: z.literal('hide'), version: AnswerDisplayVersion, replacement: z.object({ kind: z.literal('wellbeingPromptHelpline') }) }),
  z.object({
    mode: z.literal('block'),
    version: AnswerDisplayVersion,
    reason: z.union([
      z.object({ kind: z.literal('protection'), protectionType: z.string() }),
      z.object({ kind: z.literal('cyber'), trustedAccess: z.boolean().nullish() }),
    ]),
  }),
]);
export const AgentMessageModeration = z.object({ moderated: z.boolean(), display: AgentMessageDisplay.nullish() });
export const AsyncUserInputQuestion = z.object({ title: z.string(), options: z.array(z.string()).nullish() });

export const HookPromptFragment = z.object({ text: z.string(), hookRunId: z.string() });

export const ImageGenerationInputImage = z.object({ path: AbsolutePath, sha256: z.string() });
export const ImageGenerationFailure = z.discriminatedUnion('type', [
  z.object({ type: z.literal('usageLimitExceeded'), limitId: z.string(), resetsAt: z.number().int().nullish() }),
]);

export const ThreadItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('userMessage'),
    id: z.string(),
    content: z.array(UserInput),
    clientId: z.string().nullish(),
  }),
  z.object({ type: z.literal('hookPrompt'), id: z.string(), fragments: z.array(HookPromptFragment) }),
  z.object({
    type: z.literal('agentMessage'),
    id: z.string(),
    text: z.string(),
    phase: MessagePhase.nullable(),
    memoryCitation: MemoryCitation.nullable(),
    delivery: z.literal('async').nullish(),
    moderation: AgentMessageModeration.nullish(),
    questions: z.array(AsyncUserInputQuestion).nullish(),
  }),
  z.object({
    type: z.literal('functionCallOutput'),
    id: z.string(),
    name: z.string(),
    namespace: z.string().nullish(),
    output: FunctionCallOutputBody,
  }),
  z.object({ type: z.literal('plan'), id: z.string(), text: z.string() }),
  z.object({
    type: z.literal('reasoning'),
    id: z.string(),
    summary: z.array(z.string()),
    content: z.array(z.string()),
  }),
  z.object({
    type: z.literal('commandExecution'),
    id: z.string(),
    command: z.string(),
    cwd: z.string(),
    processId: z.string().nullable(),
    source: CommandExecutionSource,
    status: CommandExecutionStatus,
    commandActions: z.array(CommandAction),
    aggregatedOutput: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    pluginId: z.string().nullish(),
    scriptPath: z.string().nullish(),
  }),
  z.object({
    type: z.literal('fileChange'),
    id: z.string(),
    changes: z.array(FileUpdateChange),
    status: PatchApplyStatus,
  }),
  z.object({
    type: z.literal('mcpToolCall'),
    id: z.string(),
    server: z.string(),
    tool: z.string(),
    status: McpToolCallStatus,
    arguments: JsonValue,
    result: McpToolCallResult.nullable(),
    error: McpToolCallError.nullable(),
    durationMs: z.number().int().nullable(),
    mcpAppResourceUri: z.string().nullish(),
    mcpAppUi: McpAppUi.nullish(),
    appContext: McpToolCallAppContext.nullish(),
    pluginId: z.string().nullish(),
    readOnlyHint: z.boolean().nullish(),
  }),
  z.object({
    type: z.literal('dynamicToolCall'),
    id: z.string(),
    tool: z.string(),
    namespace: z.string().nullish(),
    arguments: JsonValue,
    status: DynamicToolCallStatus,
    contentItems: z.array(DynamicToolCallOutputContentItem).nullable(),
    success: z.boolean().nullable(),
    durationMs: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal('collabAgentToolCall'),
    id: z.string(),
    tool: CollabAgentTool,
    status: CollabAgentToolCallStatus,
    senderThreadId: z.string(),
    receiverThreadIds: z.array(z.string()),
    prompt: z.string().nullable(),
    model: z.string().nullable(),
    reasoningEffort: ReasoningEffort.nullable(),
    agentsStates: z.record(z.string(), CollabAgentState),
  }),
  z.object({
    type: z.literal('subAgentActivity'),
    id: z.string(),
    kind: SubAgentActivityKind,
    agentThreadId: z.string(),
    agentPath: z.string(),
    model: z.string().nullish(),
    reasoningEffort: ReasoningEffort.nullish(),
  }),
  z.object({
    type: z.literal('webSearch'),
    id: z.string(),
    query: z.string(),
    action: WebSearchAction.nullable(),
    results: z.array(JsonValue).nullish(),
  }),
  z.object({ type: z.literal('imageView'), id: z.string(), path: z.string() }),
  z.object({ type: z.literal('sleep'), id: z.string(), durationMs: UInt }),
  z
    .object({
      type: z.literal('imageGeneration'),
      id: z.string(),
      status: z.string(),
      // Codex's anyOf: the image's attachment-store id, or its inline data.
      fileId: z.string().optional(),
      result: z.string().optional(),
      revisedPrompt: z.string().nullish(),
      savedPath: AbsolutePath.nullish(),
      inputImages: z.array(ImageGenerationInputImage).optional(),
      generationId: z.string().nullish(),
      transparentBackground: z.boolean().nullish(),
      failure: ImageGenerationFailure.nullish(),
    })
    .refine((v) => v.fileId !== undefined || v.result !== undefined, {
      message: 'needs fileId or result',
      path: ['fileId'],
    }),
  z.object({ type: z.literal('enteredReviewMode'), id: z.string(), review: z.string() }),
  z.object({ type: z.literal('exitedReviewMode'), id: z.string(), review: z.string() }),
  z.object({ type: z.literal('contextCompaction'), id: z.string() }),
]);

export type UserInput = z.infer<typeof UserInput>;
export type ThreadItem = z.infer<typeof ThreadItem>;
export type ThreadItemType = ThreadItem['type'];
